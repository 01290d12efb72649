import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from enterprises.validators import (
    CHARSET,
    credit_code_check_char,
    credit_code_with_check,
    district_error,
    district_mismatch,
    division_error,
    organisation_code_check_char,
    validate_credit_code,
)

REAL_CODES = ["91350100M000100Y43", "91110000802100433B", "914403001922038216", "91310000717854505W"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass(code):
    validate_credit_code(code)
    assert credit_code_check_char(code[:17]) == code[17]


@pytest.mark.parametrize("code", REAL_CODES)
def test_lower_case_and_spaces_are_normalised(code):
    validate_credit_code(f"  {code.lower()} ")


@pytest.mark.parametrize("code", REAL_CODES)
def test_wrong_check_character_is_named(code):
    wrong = next(c for c in CHARSET if c != code[17])
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code[:17] + wrong)
    assert exc.value.code == "check_char"
    assert code[17] in exc.value.messages[0]


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_single_changed_digit_is_caught(code):
    # Change position 10 to every other value: the check character must catch each one.
    for c in CHARSET:
        if c == code[9]:
            continue
        with pytest.raises(ValidationError):
            validate_credit_code(code[:9] + c + code[10:])


@pytest.mark.parametrize("code", REAL_CODES)
@pytest.mark.parametrize("length", [17, 19])
def test_wrong_length(code, length):
    bad = (code + "0")[:length]
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(bad)
    assert exc.value.code == "length"
    assert str(length) in exc.value.messages[0]


@pytest.mark.parametrize("code", REAL_CODES)
@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_forbidden_letters_are_named(code, letter):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code[:12] + letter + code[13:])
    assert exc.value.code == "forbidden_letter"
    assert letter in exc.value.messages[0]


def test_other_characters_are_refused():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y4-")
    assert exc.value.code == "charset"


def test_completion_helper_makes_valid_codes():
    code = credit_code_with_check("91431002MA4L0000")
    validate_credit_code(code)
    assert code.startswith("91431002")


def test_the_division_code_is_six_digits():
    # 914310XX… passes the checksum but "4310XX" is no division code.
    code = credit_code_with_check("914310XXMA4L04YX")
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "division" and "4310XX" in exc.value.messages[0]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass_the_organisation_code_check(code):
    assert organisation_code_check_char(code[8:16]) == code[16]


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_wrong_17th_character_is_named(code):
    # A wrong 17th character whose 18th was computed over it passes GB 32100 but not GB 11714.
    for c in "0123456789X":
        if c == code[16]:
            continue
        first17 = code[:16] + c
        with pytest.raises(ValidationError) as exc:
            validate_credit_code(first17 + credit_code_check_char(first17))
        assert exc.value.code == "org_check_char"
        with translation.override("en"):
            message = str(exc.value.messages[0])
        assert code[16] in message and "17th" in message


def test_the_old_demo_code_fails_the_17th_character_check():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91431002MA4L00JX2X")
    assert exc.value.code == "org_check_char"


def test_every_demo_code_is_valid():
    from awards.demo import ENTERPRISES, OTHER_CITIES_ENTERPRISES
    from reviews.demo import PROFILES

    rows = ENTERPRISES + OTHER_CITIES_ENTERPRISES
    codes = [credit_code_with_check(f"91{division}{org}") for _k, division, org, *_rest in rows]
    codes += [credit_code_with_check(f"91{p[4]}{p[2]}") for p in PROFILES.values() if p[2]]
    assert len(set(codes)) == len(codes) == len(rows) + 5
    for code in codes:
        validate_credit_code(code)


def test_the_completion_helper_takes_sixteen_characters():
    with pytest.raises(ValueError):
        credit_code_with_check("91431002MA4L00JX2")


@pytest.mark.parametrize(
    ("district", "expected"),
    [("431002", None), ("431081", "431002"), ("", None)],
)
def test_the_district_must_be_the_codes(district, expected):
    assert district_mismatch(credit_code_with_check("91431002MA4L0000"), district) == expected


def test_a_city_level_code_goes_with_any_district_of_that_city():
    assert district_mismatch(credit_code_with_check("91431000MA4L0000"), "431081") is None
    assert district_mismatch(credit_code_with_check("91431000MA4L0000"), "430104") == "431000"
    assert district_mismatch(credit_code_with_check("91430000MA4L0000"), "430104") is None  # the province's


# Codes as their enterprises publish them: a steelworks in Lengshuijiang City (Loudi), a trading
# company in Yuelu District (Changsha), a builder in Ningxiang (registered under 宁乡县's code 430124,
# 宁乡市 since 2017) and a technology company registered with Changsha's city-level authority.
LENGSHUIJIANG = "91431381748373560G"
YUELU = "91430104MA7AMADH81"
NINGXIANG_FORMER = "91430124MACPX2H56Q"
CHANGSHA_CITY = "91430100MAE5UXKE2R"


@pytest.mark.parametrize("code", [LENGSHUIJIANG, YUELU, NINGXIANG_FORMER, CHANGSHA_CITY])
def test_real_hunan_codes_pass(code):
    validate_credit_code(code)
    assert division_error(code) is None


@pytest.mark.parametrize(
    ("code", "district"), [(LENGSHUIJIANG, "431381"), (YUELU, "430104"), (CHANGSHA_CITY, "430181")]
)
def test_the_codes_district_agrees(code, district):
    assert district_error(code, district) is None


def test_a_former_code_agrees_with_its_successor():
    assert district_error(NINGXIANG_FORMER, "430182") is None
    with translation.override("en"):
        message = district_error(NINGXIANG_FORMER, "430181")
    assert message == (
        "The credit code was registered in Ningxiang County (now Ningxiang City) (division code 430124): "
        "choose that district, or check the code."
    )


def test_a_district_of_another_city_names_the_codes_division_and_city():
    with translation.override("en"):
        message = str(district_error(LENGSHUIJIANG, "431002"))
    assert message == (
        "The credit code was registered in Lengshuijiang City, Loudi City (division code 431381), not in "
        "Chenzhou City: choose that district, or check the code."
    )
    with translation.override("zh-hans"):
        message = str(district_error(LENGSHUIJIANG, "431002"))
    assert "冷水江市" in message and "娄底市" in message and "郴州市" in message


def test_a_city_level_code_and_a_district_of_another_city():
    with translation.override("en"):
        message = str(district_error(CHANGSHA_CITY, "431002"))
    assert message == (
        "The credit code was registered in Changsha City (division code 430100), and Beihu District is not in it: "
        "choose a district or county of Changsha City, or check the code."
    )


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_code_registered_outside_hunan_is_refused(code):
    with translation.override("en"):
        message = str(division_error(code))
    assert f"Characters 3 to 8 of the credit code ({code[2:8]}) are not the division code of Hunan" in message
    assert district_error(code, "431002") is None  # nothing to compare with: said once, on the code


def test_an_unknown_hunan_looking_code_is_refused():
    # 431071 is a functional zone of the statistics list, not a division; 439900 none at all.
    assert division_error(credit_code_with_check("91431071MA4L0000"))
    assert division_error(credit_code_with_check("91439900MA4L0000"))

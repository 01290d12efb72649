import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from enterprises.validators import (
    CHARSET,
    credit_code_check_char,
    credit_code_with_check,
    district_mismatch,
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
    from awards.demo import ENTERPRISES
    from reviews.demo import PROFILES

    codes = [credit_code_with_check(f"91{division}{org}") for _k, division, org, *_rest in ENTERPRISES]
    codes += [credit_code_with_check(f"91{p[4]}{p[2]}") for p in PROFILES.values() if p[2]]
    assert len(set(codes)) == len(codes) == len(ENTERPRISES) + 5
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


def test_a_city_level_or_outside_code_names_no_district():
    assert district_mismatch(credit_code_with_check("91431000MA4L0000"), "431081") is None
    assert district_mismatch(credit_code_with_check("91430104MA4L0000"), "431081") is None

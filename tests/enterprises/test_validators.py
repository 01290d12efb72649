import pytest
from django.core.exceptions import ValidationError

from enterprises.validators import CHARSET, credit_code_check_char, credit_code_with_check, validate_credit_code

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

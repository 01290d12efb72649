"""Unified social credit code (统一社会信用代码, GB 32100-2015) and the organisation code inside it
(组织机构代码, GB 11714, positions 9-17)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import divisions

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
FORBIDDEN = set("IOSVZ")
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_code_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    c = 31 - total % 31
    return CHARSET[0 if c == 31 else c]


def organisation_code_check_char(body: str) -> str:
    """The check character (position 17 of a credit code) for the 8 characters at positions 9-16."""
    # Digits count as themselves, letters A=10 ... Z=35 (GB 11714).
    total = sum(int(ch, 36) * w for ch, w in zip(body, ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="length",
            params={"n": len(code)},
        )
    bad = sorted({ch for ch in code if ch not in CHARSET})
    if bad:
        forbidden = [ch for ch in bad if ch in FORBIDDEN]
        if forbidden:
            raise ValidationError(
                _("The letters I, O, S, V and Z never occur in a credit code; found: %(chars)s."),
                code="forbidden_letter",
                params={"chars": ", ".join(forbidden)},
            )
        raise ValidationError(
            _("A credit code contains only digits and capital letters; found: %(chars)s."),
            code="charset",
            params={"chars": ", ".join(bad)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 are the administrative division code, six digits; found %(division)s."),
            code="division",
            params={"division": code[2:8]},
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character (the 18th) should be %(expected)s, not %(got)s: please check the code for a typing error."  # noqa: E501
            ),
            code="check_char",
            params={"expected": expected, "got": code[17]},
        )
    expected_org = organisation_code_check_char(code[8:16])
    if code[16] != expected_org:
        raise ValidationError(
            _(
                "The 17th character (the check digit of the organisation code, characters 9 to 17) should be "
                "%(expected)s, not %(got)s: please check the code for a typing error."
            ),
            code="org_check_char",
            params={"expected": expected_org, "got": code[16]},
        )


def division_code(code: str) -> str:
    """Positions 3-8: the administrative division where the entity is registered."""
    return normalize_credit_code(code)[2:8]


def district_mismatch(code: str, district: str) -> str | None:
    """The division the code names (a county-level division, or a city) when `district` is not in it; else None.

    A former division code names its successor. A code registered at provincial level (430000), or
    one that is not Hunan's, names none here (the second is refused by `division_error`)."""
    named = divisions.lookup(division_code(code))
    if not district or named is None or named.level == "province":
        return None
    if named.is_prefecture:
        return None if divisions.is_in(district, named.code) else named.code
    target = named.successor or named.code
    return None if target == district else named.code


def division_error(code: str) -> str | None:
    """A message when characters 3-8 of the code are not a division code of Hunan (current or former)."""
    division = division_code(code)
    if divisions.lookup(division) is None:
        return _(
            "Characters 3 to 8 of the credit code (%(division)s) are not the division code of Hunan province or "
            "of one of its cities and counties: the register is for enterprises registered in Hunan. Please check "
            "the code."
        ) % {"division": division}
    return None


def district_error(code: str, district: str) -> str | None:
    """The message next to the district when it disagrees with the credit code's division code."""
    named_code = district_mismatch(code, district)
    if named_code is None:
        return None
    named = divisions.lookup(named_code)
    city = divisions.city_of(named_code)
    chosen_city = divisions.city_of(district)
    if named.is_prefecture:
        return _(
            "The credit code was registered in %(city)s (division code %(code)s), and %(district)s is not in it: "
            "choose a district or county of %(city)s, or check the code."
        ) % {"city": named.name, "code": named_code, "district": divisions.name(district)}
    label = named.name
    if named.is_former:
        label = _("%(former)s (now %(current)s)") % {"former": named.name, "current": divisions.name(named.successor)}
    if chosen_city is not None and city is not None and chosen_city.code != city.code:
        return _(
            "The credit code was registered in %(division)s, %(city)s (division code %(code)s), not in "
            "%(chosen_city)s: choose that district, or check the code."
        ) % {"division": label, "city": city.name, "code": named_code, "chosen_city": chosen_city.name}
    return _(
        "The credit code was registered in %(division)s (division code %(code)s): choose that district, "
        "or check the code."
    ) % {"division": label, "code": named_code}


def credit_code_with_check(first16: str) -> str:
    """Complete the first 16 characters into a valid 18-character code, both check characters
    computed (for demo data and tests)."""
    first16 = normalize_credit_code(first16)
    if len(first16) != 16:
        raise ValueError(f"credit_code_with_check takes 16 characters, got {len(first16)}: {first16!r}")
    first17 = first16 + organisation_code_check_char(first16[8:16])
    return first17 + credit_code_check_char(first17)

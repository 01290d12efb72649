import pytest
from django.utils import translation

from enterprises.forms import EnterpriseForm, InvitationForm, RegistrationForm
from enterprises.validators import credit_code_with_check
from tests.factories.core import UserFactory
from tests.factories.enterprises import EnterpriseFactory, MembershipFactory

VALID = credit_code_with_check("91431002MA4L7777")


def profile(**overrides):
    data = {
        "credit_code": VALID,
        "name_zh": "郴州新企业有限公司",
        "name_en": "Chenzhou New Co., Ltd.",
        "district": "431002",
        "industry": "C",
        "founded_on": "2015-06-01",
        "employees": "120",
        "address": "北湖区人民路1号",
        "contact_name": "王五",
        "contact_phone": "0735-7654321",
        "contact_email": "wang@new.example.cn",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91431002MA4L7777", "has 18 characters; this one has 16"),
        ("91431002MA4L7777O" + "1", "I, O, S, V and Z never occur in a credit code; found: O"),
        ("91431002MA4L7777-1", "only digits and capital letters; found: -"),
        (VALID[:17] + ("0" if VALID[17] != "0" else "1"), f"should be {VALID[17]}, not"),
    ],
)
def test_each_credit_code_rule_is_named_next_to_the_field(db, code, message):
    form = EnterpriseForm(data=profile(credit_code=code))
    assert not form.is_valid()
    assert list(form.errors) == ["credit_code"]
    assert message in form.errors["credit_code"][0]
    # What the user typed comes back in the re-rendered form.
    assert f'value="{code}"' in str(form["credit_code"])
    assert 'value="郴州新企业有限公司"' in str(form["name_zh"])


def test_credit_code_is_normalised_to_upper_case(db):
    form = EnterpriseForm(data=profile(credit_code=" " + VALID.lower() + " "))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["credit_code"] == VALID


def test_duplicate_code_names_the_owners_masked_email(db):
    enterprise = EnterpriseFactory(credit_code=VALID)
    MembershipFactory(enterprise=enterprise, user=UserFactory(email="zhang.san@example.cn"))
    form = EnterpriseForm(data=profile(credit_code=VALID.lower()))
    assert not form.is_valid()
    error = form.errors["credit_code"][0]
    assert "already registered" in error and "ask its owner" in error
    assert "z***@example.cn" in error
    assert "zhang.san@example.cn" not in error


def test_a_name_is_required(db):
    form = EnterpriseForm(data=profile(name_zh="", name_en=""))
    assert not form.is_valid()
    assert "name_zh" in form.errors


def test_editing_leaves_the_credit_code_alone(db):
    enterprise = EnterpriseFactory()
    form = EnterpriseForm(data=profile(credit_code="anything"), instance=enterprise, creating=False)
    assert "credit_code" not in form.fields
    assert form.is_valid(), form.errors


def registration(**overrides):
    data = {
        "email": "new.person@example.cn",
        "full_name": "新人",
        "preferred_language": "en",
        "password1": "Quality-award-2026",
        "password2": "Quality-award-2026",
    }
    data.update(overrides)
    return data


def test_registration_accepts_a_good_password(db):
    form = RegistrationForm(data=registration(email="New.Person@Example.cn"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "new.person@example.cn"


@pytest.mark.parametrize(
    ("password", "message"),
    [("short1", "too short"), ("password1234", "too common"), ("8273645192837", "entirely numeric")],
)
def test_registration_applies_django_password_validators(db, password, message):
    form = RegistrationForm(data=registration(password1=password, password2=password))
    assert not form.is_valid()
    assert any(message in e for e in form.errors["password1"])


def test_registration_refuses_different_passwords_but_never_says_an_address_is_known(db):
    UserFactory(email="taken@example.cn")
    form = RegistrationForm(data=registration(email="TAKEN@example.cn", password2="something-else-2026"))
    assert not form.is_valid()
    assert "email" not in form.errors  # the service mails the known account instead
    assert "differ" in form.errors["password2"][0]
    assert RegistrationForm(data=registration(email="TAKEN@example.cn")).is_valid()


def test_invitation_form_defaults():
    form = InvitationForm(data={"email": "x@example.cn", "role": "editor", "language": "en"})
    assert form.is_valid()
    assert not InvitationForm(data={"email": "not-an-address", "role": "editor", "language": "en"}).is_valid()


def test_the_district_choices_are_all_of_hunan_grouped_by_city(db):
    choices = list(EnterpriseForm().fields["district"].choices)
    assert choices[0][0] == ""  # "choose one"
    groups = dict(choices[1:])
    assert len(groups) == 14 and sum(len(options) for options in groups.values()) == 122
    assert ("431081", "Zixing City") in groups["Chenzhou City"]
    assert ("433101", "Jishou City") in groups["Xiangxi Tujia and Miao Autonomous Prefecture"]


def test_a_district_code_not_in_the_data_gets_a_message_next_to_the_field(db):
    form = EnterpriseForm(data=profile(district="431000"))  # the city, not a district of it
    assert not form.is_valid()
    assert form.errors["district"] == [
        "431000 is not a district or county of Hunan province: please choose one from the list."
    ]


def test_a_code_of_another_citys_district_names_both_cities(db):
    form = EnterpriseForm(data=profile(credit_code=credit_code_with_check("91431381MA4L7777"), district="431002"))
    assert not form.is_valid()
    assert form.errors["district"] == [
        "The credit code was registered in Lengshuijiang City, Loudi City (division code 431381), not in "
        "Chenzhou City: choose that district, or check the code."
    ]
    assert EnterpriseForm(
        data=profile(credit_code=credit_code_with_check("91431381MA4L7777"), district="431381")
    ).is_valid()

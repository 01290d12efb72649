"""The pages of a change of name or credit code: the owner's request, the office's list and decision."""

import pytest
from django.urls import reverse

from awards.enums import ApplicationStatus
from enterprises.enums import MemberRole, NameChangeStatus
from enterprises.models import NameChangeRequest
from enterprises.services import name_change_request
from enterprises.validators import credit_code_with_check
from tests.factories.awards import ApplicationFactory
from tests.factories.core import UserFactory
from tests.factories.enterprises import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client_for):
    def make(user):
        client = client_for(user)
        client.cookies["django_language"] = "en"
        return client

    return make


@pytest.fixture
def submitted(cycle, enterprise_a):
    return ApplicationFactory(cycle=cycle, enterprise=enterprise_a, status=ApplicationStatus.SUBMITTED)


@pytest.fixture
def change(enterprise_a, applicant_a, submitted):
    return name_change_request(
        enterprise=enterprise_a,
        by=applicant_a,
        name_zh="郴州甲新名有限公司",
        name_en=enterprise_a.name_en,
        credit_code=enterprise_a.credit_code,
        reason="经市场监管部门核准更名",
    )


def _form(enterprise, **changes):
    return {
        "name_zh": enterprise.name_zh,
        "name_en": enterprise.name_en,
        "credit_code": enterprise.credit_code,
        "reason": "经市场监管部门核准更名",
        **changes,
    }


# --- the owner -------------------------------------------------------------------------------------


def test_the_owner_asks_for_a_change(en, applicant_a, enterprise_a, submitted):
    url = reverse("enterprises:name_change", args=[enterprise_a.pk])
    assert en(applicant_a).get(url).status_code == 200
    response = en(applicant_a).post(url, _form(enterprise_a, name_zh="郴州甲新名有限公司"), follow=True)
    assert "sent to the award office" in response.content.decode()
    assert NameChangeRequest.objects.get().new_name_zh == "郴州甲新名有限公司"
    enterprise_a.refresh_from_db()
    assert enterprise_a.name_zh == "郴州甲企业有限公司"


def test_a_wrong_17th_character_is_named_on_the_form(en, applicant_a, enterprise_a, submitted):
    good = credit_code_with_check("91431002MA4L6666")
    wrong17 = good[:16] + ("0" if good[16] != "0" else "1")
    from enterprises.validators import credit_code_check_char

    code = wrong17 + credit_code_check_char(wrong17)  # the 18th is right for the wrong 17th
    response = en(applicant_a).post(
        reverse("enterprises:name_change", args=[enterprise_a.pk]), _form(enterprise_a, credit_code=code)
    )
    assert response.status_code == 200
    assert "17th character" in response.content.decode()
    assert not NameChangeRequest.objects.exists()


def test_a_new_code_from_outside_hunan_is_named_on_the_form(en, applicant_a, enterprise_a, submitted):
    code = credit_code_with_check("91110105MA4L6666")
    response = en(applicant_a).post(
        reverse("enterprises:name_change", args=[enterprise_a.pk]), _form(enterprise_a, credit_code=code)
    )
    assert response.status_code == 200
    assert "(110105) are not the division code of Hunan province" in response.content.decode()
    assert not NameChangeRequest.objects.exists()


def test_a_second_request_waits_for_the_first(en, applicant_a, enterprise_a, change):
    url = reverse("enterprises:name_change", args=[enterprise_a.pk])
    page = en(applicant_a).get(url).content.decode()
    assert "is waiting for the award office" in page
    en(applicant_a).post(url, _form(enterprise_a, name_zh="第三个名字"))
    assert NameChangeRequest.objects.count() == 1


def test_an_editor_may_not_ask(en, enterprise_a, submitted):
    editor = MembershipFactory(enterprise=enterprise_a, role=MemberRole.EDITOR, user=UserFactory()).user
    url = reverse("enterprises:name_change", args=[enterprise_a.pk])
    assert en(editor).get(url).status_code == 403
    assert en(editor).post(url, _form(enterprise_a, name_zh="别名")).status_code == 403
    assert not NameChangeRequest.objects.exists()


def test_a_stranger_gets_404(en, applicant_b, enterprise_a, submitted):
    url = reverse("enterprises:name_change", args=[enterprise_a.pk])
    assert en(applicant_b).get(url).status_code == 404


def test_the_profile_form_locks_the_names_once_submitted(en, applicant_a, enterprise_a, submitted):
    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    page = en(applicant_a).get(url).content.decode()
    assert "Ask for a change of name or credit code" in page
    data = {
        "name_zh": "直接改名有限公司",
        "name_en": enterprise_a.name_en,
        "district": enterprise_a.district,
        "industry": enterprise_a.industry,
        "founded_on": enterprise_a.founded_on.isoformat(),
        "employees": enterprise_a.employees,
        "address": "新地址 2 号",
        "contact_name": enterprise_a.contact_name,
        "contact_phone": enterprise_a.contact_phone,
        "contact_email": enterprise_a.contact_email,
    }
    assert en(applicant_a).post(url, data).status_code == 302
    enterprise_a.refresh_from_db()
    assert enterprise_a.name_zh == "郴州甲企业有限公司" and enterprise_a.address == "新地址 2 号"


def test_the_detail_page_shows_the_history(en, applicant_a, enterprise_a, change):
    page = en(applicant_a).get(reverse("enterprises:detail", args=[enterprise_a.pk])).content.decode()
    assert "郴州甲新名有限公司" in page and "Awaiting the award office" in page


def test_the_profile_refuses_a_district_other_than_the_codes(en, applicant_a, enterprise_a):
    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    data = {
        "name_zh": enterprise_a.name_zh,
        "name_en": enterprise_a.name_en,
        "district": "431081",
        "industry": enterprise_a.industry,
        "founded_on": enterprise_a.founded_on.isoformat(),
        "employees": enterprise_a.employees,
        "address": enterprise_a.address,
        "contact_name": enterprise_a.contact_name,
        "contact_phone": enterprise_a.contact_phone,
        "contact_email": enterprise_a.contact_email,
    }
    response = en(applicant_a).post(url, data)
    assert response.status_code == 200 and "division code 431002" in response.content.decode()


# --- the office ------------------------------------------------------------------------------------


def test_the_office_lists_and_approves(en, secretary, enterprise_a, change, submitted):
    page = en(secretary).get(reverse("enterprises:office_name_changes")).content.decode()
    assert "郴州甲新名有限公司" in page
    url = reverse("enterprises:office_name_change", args=[change.pk])
    assert "经市场监管部门核准更名" in en(secretary).get(url).content.decode()
    response = en(secretary).post(url, {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    change.refresh_from_db()
    submitted.refresh_from_db()
    assert change.status == NameChangeStatus.APPROVED and submitted.record_name_zh == "郴州甲新名有限公司"


def test_a_refusal_without_a_reason_is_sent_back(en, secretary, change):
    url = reverse("enterprises:office_name_change", args=[change.pk])
    response = en(secretary).post(url, {"decision": "refuse", "reason": ""})
    assert response.status_code == 200 and "reason for the refusal" in response.content.decode()
    change.refresh_from_db()
    assert change.status == NameChangeStatus.PENDING


def test_the_enterprise_list_counts_waiting_requests(en, secretary, change):
    page = en(secretary).get(reverse("enterprises:office_list")).content.decode()
    assert "1 waiting" in page


@pytest.mark.parametrize("role", ["applicant_a", "expert", "committee_member"])
def test_the_office_pages_are_refused_to_others(request, en, role, change):
    client = en(request.getfixturevalue(role))
    assert client.get(reverse("enterprises:office_name_changes")).status_code == 403
    url = reverse("enterprises:office_name_change", args=[change.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "approve"}).status_code == 403
    change.refresh_from_db()
    assert change.status == NameChangeStatus.PENDING


def test_anonymous_is_sent_to_log_in(anonymous, change):
    response = anonymous.get(reverse("enterprises:office_name_changes"))
    assert response.status_code == 302 and "login" in response["Location"]

"""The enterprise's identity on the application: names and credit code come from the profile only,
the district matches the code's division code, and the names of record are frozen at submission."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import translation

from awards import sections, services
from awards.enums import ApplicationStatus
from awards.models import Application
from core.errors import NotAllowed
from enterprises.validators import credit_code_with_check
from tests.factories.awards import ApplicationFactory, fill_application
from tests.factories.enterprises import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client_for):
    """Pages in English, so assertions read the English messages."""

    def make(user):
        client = client_for(user)
        client.cookies["django_language"] = "en"
        return client

    return make


def _basic_post(application, **changes):
    data = {**application.basic_info, "version": application.basic_info_version, "save": "", **changes}
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("field", "value"),
    [("name_zh", "申报用名称"), ("name_en", "Another Name Ltd."), ("credit_code", "91110000802100433B")],
)
def test_a_direct_post_of_an_identity_field_is_refused(client_for, applicant_a, application_a, field, value):
    url = reverse("awards:section", args=[application_a.pk, "basic"])
    before = dict(application_a.basic_info)
    response = client_for(applicant_a).post(url, _basic_post(application_a, **{field: value}))
    assert response.status_code == 200
    assert "cannot be changed on the application" in response.content.decode()
    application_a.refresh_from_db()
    assert application_a.basic_info == before


def test_saving_without_the_identity_fields_keeps_the_profiles(client_for, applicant_a, application_a, enterprise_a):
    # A browser sends no value for a disabled field: the names and code still come from the profile.
    url = reverse("awards:section", args=[application_a.pk, "basic"])
    data = _basic_post(application_a, address="北湖区新地址 8 号")
    for name in sections.IDENTITY_FIELDS:
        data.pop(name, None)
    response = client_for(applicant_a).post(url, data)
    assert response.status_code == 302
    application_a.refresh_from_db()
    assert application_a.basic_info["address"] == "北湖区新地址 8 号"
    assert application_a.basic_info["name_zh"] == enterprise_a.name_zh
    assert application_a.basic_info["credit_code"] == enterprise_a.credit_code


def test_the_identity_fields_are_shown_disabled(client_for, applicant_a, application_a, enterprise_a):
    page = client_for(applicant_a).get(reverse("awards:section", args=[application_a.pk, "basic"])).content.decode()
    assert f'value="{enterprise_a.credit_code}"' in page
    for name in sections.IDENTITY_FIELDS:
        tag = page[page.index(f'name="{name}"') :].split(">", 1)[0]
        assert "disabled" in tag


def test_the_service_refuses_identity_changes_too(applicant_a, application_a):
    data = {**application_a.basic_info, "name_zh": "别的名称"}
    with pytest.raises(NotAllowed) as exc:
        services.application_section_save(
            application=application_a,
            section=sections.BASIC,
            data=data,
            version=application_a.basic_info_version,
            by=applicant_a,
        )
    assert exc.value.code == "identity_locked"


def test_the_district_must_match_the_codes_division(client_for, applicant_a, application_a, enterprise_a):
    assert enterprise_a.credit_code[2:8] == "431002"  # Beihu District
    url = reverse("awards:section", args=[application_a.pk, "basic"])
    response = client_for(applicant_a).post(url, _basic_post(application_a, district="431081"))
    assert response.status_code == 200
    assert "division code 431002" in response.content.decode()
    response = client_for(applicant_a).post(url, _basic_post(application_a, district="431002"))
    assert response.status_code == 302


def test_a_city_level_code_goes_with_any_district(client_for, cycle):
    from tests.factories.core import UserFactory
    from tests.factories.enterprises import MembershipFactory

    ent = EnterpriseFactory(credit_code=credit_code_with_check("91431000MA4L3333"), district="431081")
    user = MembershipFactory(enterprise=ent, user=UserFactory()).user
    app = ApplicationFactory(cycle=cycle, enterprise=ent, basic_info=sections.basic_from_profile(ent))
    response = client_for(user).post(reverse("awards:section", args=[app.pk, "basic"]), _basic_post(app))
    assert response.status_code == 302


def test_submission_freezes_the_names_of_record(application_a, applicant_a, enterprise_a):
    assert not application_a.has_names_of_record
    fill_application(application_a, applicant_a)
    app = services.application_submit(application=application_a, by=applicant_a, notify=False)
    assert (app.record_name_zh, app.record_name_en, app.record_credit_code) == (
        enterprise_a.name_zh,
        enterprise_a.name_en,
        enterprise_a.credit_code,
    )
    # A later edit of the live profile (e.g. by the admin) does not move the decision's names.
    type(enterprise_a).objects.filter(pk=enterprise_a.pk).update(name_zh="改名后的公司", name_en="Renamed Ltd.")
    app = Application.objects.get(pk=app.pk)
    with translation.override("zh-hans"):
        assert app.name_zh == "郴州甲企业有限公司" and app.display_name == "郴州甲企业有限公司"
    with translation.override("en"):
        assert app.display_name == "Chenzhou Alpha Co., Ltd."
    assert app.official_name == "郴州甲企业有限公司"
    snapshot = app.snapshots.get()
    assert snapshot.data[sections.BASIC]["name_zh"] == "郴州甲企业有限公司"


def test_a_draft_reads_the_live_profile(application_a, enterprise_a):
    type(enterprise_a).objects.filter(pk=enterprise_a.pk).update(name_zh="改名后的公司")
    app = Application.objects.get(pk=application_a.pk)
    assert app.name_zh == "改名后的公司"


def test_the_migration_takes_the_names_from_the_latest_snapshot(application_a, applicant_a, enterprise_a):
    fill_application(application_a, applicant_a)
    services.application_submit(application=application_a, by=applicant_a, notify=False)
    Application.objects.filter(pk=application_a.pk).update(record_name_zh="", record_name_en="", record_credit_code="")
    type(enterprise_a).objects.filter(pk=enterprise_a.pk).update(name_zh="改名后的公司")
    draft = ApplicationFactory(enterprise=EnterpriseFactory(), cycle=application_a.cycle)
    import_module("awards.migrations.0008_names_of_record").names_from_snapshots(django_apps, None)
    app = Application.objects.get(pk=application_a.pk)
    assert (app.record_name_zh, app.record_credit_code) == ("郴州甲企业有限公司", enterprise_a.credit_code)
    assert Application.objects.get(pk=draft.pk).record_credit_code == ""


def test_an_application_past_draft_without_a_snapshot_takes_the_profile(cycle):
    ent = EnterpriseFactory(name_zh="历史企业")
    app = ApplicationFactory(cycle=cycle, enterprise=ent, status=ApplicationStatus.AWARDED)
    Application.objects.filter(pk=app.pk).update(record_name_zh="", record_credit_code="")
    import_module("awards.migrations.0008_names_of_record").names_from_snapshots(django_apps, None)
    app.refresh_from_db()
    assert (app.record_name_zh, app.record_credit_code) == ("历史企业", ent.credit_code)


def test_the_office_queue_flags_a_code_outside_the_city_once(client_for, secretary, cycle):
    outside = EnterpriseFactory(
        credit_code=credit_code_with_check("91430104MA4L5555"), name_zh="长沙某公司", name_en=""
    )
    ApplicationFactory(cycle=cycle, enterprise=outside, status=ApplicationStatus.SUBMITTED)
    ApplicationFactory(cycle=cycle, status=ApplicationStatus.SUBMITTED)
    page = client_for(secretary).get(reverse("awards:queue") + f"?cycle={cycle.pk}").content.decode()
    assert "长沙某公司" in page
    assert page.count("registered outside Chenzhou City") == 1

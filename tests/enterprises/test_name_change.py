"""Changes of name or credit code: a request while an application is past draft, decided by the office."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from awards.enums import ApplicationStatus
from awards.models import Application
from certificates.enums import CertificateStatus
from core.errors import Conflict, NotAllowed
from core.models import AuditEvent
from enterprises import services
from enterprises.enums import MemberRole, NameChangeStatus
from enterprises.models import NameChangeRequest
from enterprises.validators import credit_code_with_check
from tests.factories.awards import ApplicationFactory
from tests.factories.certificates import issued_certificate
from tests.factories.core import UserFactory
from tests.factories.enterprises import MembershipFactory

pytestmark = pytest.mark.django_db

NEW_CODE = credit_code_with_check("91431002MA4L6666")


@pytest.fixture
def submitted(cycle, enterprise_a):
    return ApplicationFactory(cycle=cycle, enterprise=enterprise_a, status=ApplicationStatus.SUBMITTED)


def _events(name):
    return list(AuditEvent.objects.filter(event=name).order_by("pk"))


def _request(enterprise, by, **changes):
    values = {
        "name_zh": enterprise.name_zh,
        "name_en": enterprise.name_en,
        "credit_code": enterprise.credit_code,
        "reason": "经市场监管部门核准更名",
        **changes,
    }
    return services.name_change_request(enterprise=enterprise, by=by, **values)


# --- the profile ---------------------------------------------------------------------------------


def test_a_draft_only_enterprise_renames_at_once(enterprise_a, applicant_a, cycle):
    ApplicationFactory(cycle=cycle, enterprise=enterprise_a)  # a draft holds no names of record
    services.enterprise_update(enterprise=enterprise_a, by=applicant_a, name_zh="郴州甲新名有限公司")
    enterprise_a.refresh_from_db()
    assert enterprise_a.name_zh == "郴州甲新名有限公司"
    assert not NameChangeRequest.objects.exists()


def test_past_draft_a_rename_in_the_profile_becomes_a_request(
    enterprise_a, applicant_a, submitted, secretary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_update(
            enterprise=enterprise_a, by=applicant_a, name_zh="郴州甲新名有限公司", address="新地址 1 号"
        )
    enterprise_a.refresh_from_db()
    assert enterprise_a.name_zh == "郴州甲企业有限公司"  # unchanged until approved
    assert enterprise_a.address == "新地址 1 号"  # the other fields are saved at once
    change = NameChangeRequest.objects.get()
    assert (change.old_name_zh, change.new_name_zh, change.status) == (
        "郴州甲企业有限公司",
        "郴州甲新名有限公司",
        NameChangeStatus.PENDING,
    )
    assert change.changed_fields == ["name_zh"]
    assert [m.to for m in mail.outbox] == [[secretary.email]]
    assert f"/office/name-changes/{change.pk}/" in mail.outbox[0].body
    assert _events("enterprise.name_change_requested")[0].payload["name_zh"] == [
        "郴州甲企业有限公司",
        "郴州甲新名有限公司",
    ]


def test_only_the_owner_may_ask(enterprise_a, submitted):
    editor = MembershipFactory(enterprise=enterprise_a, role=MemberRole.EDITOR).user
    with pytest.raises(PermissionDenied):
        _request(enterprise_a, editor, name_zh="别名")
    assert not NameChangeRequest.objects.exists()


def test_one_request_waits_at_a_time(enterprise_a, applicant_a, submitted):
    _request(enterprise_a, applicant_a, name_zh="第一次")
    with pytest.raises(Conflict) as exc:
        _request(enterprise_a, applicant_a, name_zh="第二次")
    assert exc.value.code == "pending"
    assert NameChangeRequest.objects.count() == 1


def test_a_request_that_changes_nothing_is_refused(enterprise_a, applicant_a, submitted):
    with pytest.raises(NotAllowed) as exc:
        _request(enterprise_a, applicant_a)
    assert exc.value.code == "unchanged"


def test_a_code_of_another_enterprise_is_refused(enterprise_a, enterprise_b, applicant_a, submitted):
    with pytest.raises(Conflict):
        _request(enterprise_a, applicant_a, credit_code=enterprise_b.credit_code)


def test_an_invalid_code_is_refused(enterprise_a, applicant_a, submitted):
    bad = NEW_CODE[:16] + ("1" if NEW_CODE[16] != "1" else "2")
    with pytest.raises(ValidationError):
        _request(enterprise_a, applicant_a, credit_code=bad + "0")


# --- the office's decision ---------------------------------------------------------------------------


def test_approval_moves_the_names_of_record_and_reissues_the_certificate(
    cycle, enterprise_a, applicant_a, secretary, django_capture_on_commit_callbacks
):
    cert = issued_certificate(cycle=cycle, enterprise=enterprise_a)
    change = _request(enterprise_a, applicant_a, name_zh="郴州甲新名有限公司", credit_code=NEW_CODE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.name_change_decide(change_request=change, by=secretary, approve=True)
    enterprise_a.refresh_from_db()
    assert (enterprise_a.name_zh, enterprise_a.credit_code) == ("郴州甲新名有限公司", NEW_CODE)
    app = Application.objects.get(pk=cert.application_id)
    assert (app.record_name_zh, app.record_credit_code) == ("郴州甲新名有限公司", NEW_CODE)
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.PENDING and cert.reissued_at is not None
    serial, code = cert.serial, cert.verification_code
    for callback in callbacks:
        callback()
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.READY  # rendered again (eager tasks)
    assert (cert.serial, cert.verification_code) == (serial, code)
    change.refresh_from_db()
    assert change.status == NameChangeStatus.APPROVED and change.decided_by == secretary
    event = _events("enterprise.name_change_approved")[0]
    assert event.payload["certificates_reissued"] == [cert.pk]
    assert _events("certificate.reissued")[0].payload["serial"] == serial
    assert [m.to for m in mail.outbox] == [[applicant_a.email]]


def test_a_refusal_needs_a_reason_and_changes_nothing(
    enterprise_a, applicant_a, submitted, secretary, django_capture_on_commit_callbacks
):
    change = _request(enterprise_a, applicant_a, name_zh="郴州甲新名有限公司")
    with pytest.raises(NotAllowed) as exc:
        services.name_change_decide(change_request=change, by=secretary, approve=False, reason=" ")
    assert exc.value.code == "reason_required"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.name_change_decide(change_request=change, by=secretary, approve=False, reason="未提供核准通知书")
    enterprise_a.refresh_from_db()
    submitted.refresh_from_db()
    assert enterprise_a.name_zh == "郴州甲企业有限公司" and submitted.record_name_zh == "郴州甲企业有限公司"
    change.refresh_from_db()
    assert change.status == NameChangeStatus.REFUSED and change.decision_reason == "未提供核准通知书"
    assert len(mail.outbox) == 1 and "未提供核准通知书" in mail.outbox[0].body


def test_a_request_is_decided_once(enterprise_a, applicant_a, submitted, secretary):
    change = _request(enterprise_a, applicant_a, name_zh="郴州甲新名有限公司")
    services.name_change_decide(change_request=change, by=secretary, approve=True)
    with pytest.raises(Conflict):
        services.name_change_decide(change_request=change, by=secretary, approve=False, reason="晚了")
    change.refresh_from_db()
    assert change.status == NameChangeStatus.APPROVED


@pytest.mark.parametrize("role", ["applicant_a", "expert", "committee_member"])
def test_only_the_office_decides(request, role, enterprise_a, applicant_a, submitted):
    change = _request(enterprise_a, applicant_a, name_zh="郴州甲新名有限公司")
    with pytest.raises(PermissionDenied):
        services.name_change_decide(change_request=change, by=request.getfixturevalue(role), approve=True)
    change.refresh_from_db()
    assert change.status == NameChangeStatus.PENDING


def test_an_admin_decides_too(enterprise_a, applicant_a, submitted, admin_user):
    change = _request(enterprise_a, applicant_a, name_en="Chenzhou Alpha Renamed Ltd.")
    services.name_change_decide(change_request=change, by=admin_user, approve=True)
    submitted.refresh_from_db()
    assert submitted.record_name_en == "Chenzhou Alpha Renamed Ltd."


def test_a_revoked_certificate_is_not_reissued(cycle, enterprise_a, applicant_a, secretary):
    from certificates.services import certificate_revoke

    cert = issued_certificate(cycle=cycle, enterprise=enterprise_a)
    certificate_revoke(certificate=cert, by=secretary, reason="以欺骗手段获奖")
    change = _request(enterprise_a, applicant_a, name_zh="郴州甲新名有限公司")
    services.name_change_decide(change_request=change, by=secretary, approve=True)
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.REVOKED and cert.reissued_at is None


def test_the_office_hears_of_requests_even_without_a_cycle_of_its_own(enterprise_a, applicant_a, cycle):
    from tests.factories.awards import CycleFactory, CycleMembershipFactory

    other = CycleFactory()
    ApplicationFactory(cycle=other, enterprise=enterprise_a, status=ApplicationStatus.SUBMITTED)
    sec = CycleMembershipFactory(cycle=other, role="secretary", user=UserFactory()).user
    from enterprises.selectors import office_recipients_for

    assert office_recipients_for(enterprise_a) == [sec]


def test_one_offices_decision_renames_the_enterprise_in_every_programme(cycle, enterprise_a, applicant_a, secretary):
    """The register is the province's: Chenzhou's office decides, and the names of record of the
    enterprise's application to the governor's award follow too (the decision's request is scoped to
    Chenzhou's programme), as does its certificate there."""
    from core.scopes import programme_scope
    from tests.factories.awards import CycleFactory, ProgrammeFactory

    hunan = CycleFactory(programme=ProgrammeFactory(slug="hunan"))
    cert = issued_certificate(cycle=hunan, enterprise=enterprise_a)
    there = cert.application
    change = _request(enterprise_a, applicant_a, name_zh="郴州甲新名有限公司")
    with programme_scope([cycle.programme_id]):
        services.name_change_decide(change_request=change, by=secretary, approve=True)
    there.refresh_from_db()
    cert.refresh_from_db()
    assert there.record_name_zh == "郴州甲新名有限公司"
    assert cert.reissued_at is not None

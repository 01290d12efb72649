import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from awards.enums import ApplicationStatus
from certificates import services
from certificates.enums import CertificateStatus
from certificates.models import Certificate, CertificateCounter
from certificates.services import (
    certificate_render,
    certificate_retry,
    certificate_revoke,
    certificates_issue_for_cycle,
    certificates_regenerate,
)
from core.enums import AuditEventType
from core.errors import Conflict, NotAllowed
from core.models import AuditEvent
from core.scopes import in_every_programme
from tests.factories.awards import ApplicationFactory, CycleFactory
from tests.factories.certificates import awarded_application, issued_certificate
from tests.media import stored_bytes, stored_siblings

pytestmark = pytest.mark.django_db


# ---- issuing -------------------------------------------------------------------------------------


def test_issuing_creates_one_certificate_per_awarded_application_and_queues_rendering(
    cycle, secretary, django_capture_on_commit_callbacks
):
    a1 = awarded_application(cycle=cycle, level_code="mayor")
    a2 = awarded_application(cycle=cycle, level_code="nomination")
    ApplicationFactory(cycle=cycle, status=ApplicationStatus.PUBLIC_NOTICE)  # not awarded: no certificate
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = certificates_issue_for_cycle(cycle=cycle, by=secretary)
    assert len(callbacks) == 1  # rendering is queued only once the transaction commits
    assert [c.application for c in created] == [a1, a2]  # highest level first
    assert [c.serial for c in created] == [f"CZMQA-{cycle.year}-001", f"CZMQA-{cycle.year}-002"]
    assert {c.status for c in created} == {CertificateStatus.PENDING}
    assert created[1].award_level.code == "nomination"
    assert all(len(c.verification_code) == 32 for c in created)
    assert created[0].verification_url == f"http://127.0.0.1:8000/verify/{created[0].verification_code}/"
    assert created[0].issued_on == timezone.localdate(a1.status_changed_at)
    events = AuditEvent.objects.filter(event=AuditEventType.CERTIFICATE_ISSUED)
    assert events.count() == 2 and events.first().actor == secretary


def test_issuing_again_creates_nothing_and_keeps_serials(cycle, secretary):
    awarded_application(cycle=cycle)
    first = certificates_issue_for_cycle(cycle=cycle, by=secretary)
    assert certificates_issue_for_cycle(cycle=cycle, by=secretary) == []
    later = awarded_application(cycle=cycle)
    (added,) = certificates_issue_for_cycle(cycle=cycle, by=secretary)
    assert added.application == later
    assert added.serial.endswith("-002")
    assert Certificate.objects.get(pk=first[0].pk).serial.endswith("-001")


def test_serials_are_per_cycle(cycle, secretary):
    other = CycleFactory()
    awarded_application(cycle=cycle)
    awarded_application(cycle=other)
    assert certificates_issue_for_cycle(cycle=cycle, by=secretary)[0].number == 1
    assert certificates_issue_for_cycle(cycle=other, by=None, system=True)[0].number == 1


@pytest.mark.parametrize("persona", ["applicant_a", "expert", "committee_member"])
def test_only_the_office_may_issue(request, cycle, persona):
    awarded_application(cycle=cycle)
    with pytest.raises(PermissionDenied):
        certificates_issue_for_cycle(cycle=cycle, by=request.getfixturevalue(persona))
    assert not Certificate.objects.exists()


def test_a_secretary_of_another_cycle_may_not_issue(cycle):
    from awards.enums import CycleRole
    from tests.factories.awards import CycleMembershipFactory

    other_secretary = CycleMembershipFactory(cycle=CycleFactory(), role=CycleRole.SECRETARY).user
    with pytest.raises(PermissionDenied):
        certificates_issue_for_cycle(cycle=cycle, by=other_secretary)


def test_admin_may_issue(cycle, admin_user):
    awarded_application(cycle=cycle)
    assert len(certificates_issue_for_cycle(cycle=cycle, by=admin_user)) == 1


def test_a_rolled_back_issue_gives_its_serials_back(cycle, secretary):
    from django.db import transaction

    awarded_application(cycle=cycle)
    with pytest.raises(RuntimeError), transaction.atomic():
        certificates_issue_for_cycle(cycle=cycle, by=secretary)
        raise RuntimeError
    assert not CertificateCounter.objects.filter(cycle=cycle, last_number__gt=0).exists()
    assert certificates_issue_for_cycle(cycle=cycle, by=secretary)[0].number == 1


# ---- rendering -----------------------------------------------------------------------------------


def test_rendering_writes_the_pdf_and_marks_it_ready(cert_a, settings):
    outcome = certificate_render(certificate_id=cert_a.pk)
    cert_a.refresh_from_db()
    assert outcome.status == CertificateStatus.READY
    assert cert_a.status == CertificateStatus.READY
    assert cert_a.file.name == f"certificates/{cert_a.cycle.year}/{cert_a.serial}.pdf"
    data = stored_bytes(cert_a.file)
    assert data.startswith(b"%PDF")
    assert cert_a.size_bytes == len(data) <= 300 * 1024
    import hashlib

    assert cert_a.checksum == hashlib.sha256(data).hexdigest()
    assert cert_a.attempts == 1 and cert_a.rendered_at and cert_a.error == ""
    assert stored_siblings(cert_a.file) == [f"{cert_a.serial}.pdf"]  # no temporary file left


def test_rendering_a_ready_certificate_again_changes_nothing(ready_cert_a):
    before = ready_cert_a.file.storage.get_modified_time(ready_cert_a.file.name)
    outcome = certificate_render(certificate_id=ready_cert_a.pk)
    after = Certificate.objects.get(pk=ready_cert_a.pk)
    assert outcome.status == CertificateStatus.READY and outcome.busy_for is None
    assert (after.serial, after.file.name, after.checksum, after.attempts, after.rendered_at) == (
        ready_cert_a.serial,
        ready_cert_a.file.name,
        ready_cert_a.checksum,
        1,
        ready_cert_a.rendered_at,
    )
    assert after.file.storage.get_modified_time(after.file.name) == before


def test_a_live_claim_is_not_taken_twice(cert_a):
    Certificate.objects.filter(pk=cert_a.pk).update(
        status=CertificateStatus.RENDERING, claimed_at=timezone.now(), claim_token="x"
    )
    outcome = certificate_render(certificate_id=cert_a.pk)
    assert outcome.status == CertificateStatus.RENDERING
    assert 0 < outcome.busy_for <= 150
    assert Certificate.objects.get(pk=cert_a.pk).claim_token == "x"


def test_a_stale_claim_is_taken_over(cert_a, settings):
    old = timezone.now() - dt.timedelta(seconds=settings.CERTIFICATE_CLAIM_STALE_SECONDS + 5)
    Certificate.objects.filter(pk=cert_a.pk).update(
        status=CertificateStatus.RENDERING, claimed_at=old, claim_token="dead", attempts=1
    )
    assert certificate_render(certificate_id=cert_a.pk).status == CertificateStatus.READY
    cert_a.refresh_from_db()
    assert cert_a.status == CertificateStatus.READY and cert_a.attempts == 2


def test_a_failure_is_recorded_with_its_error(cert_a, monkeypatch):
    def broken(certificate):
        raise ValueError("template exploded")

    monkeypatch.setattr("certificates.rendering.certificate_pdf", broken)
    assert certificate_render(certificate_id=cert_a.pk).status == CertificateStatus.FAILED
    cert_a.refresh_from_db()
    assert cert_a.status == CertificateStatus.FAILED
    assert cert_a.error == "ValueError: template exploded"
    assert not cert_a.file


def test_a_transient_failure_is_recorded_and_raised_for_the_task_to_retry(cert_a, monkeypatch):
    def disk_full(certificate):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("certificates.rendering.certificate_pdf", disk_full)
    with pytest.raises(OSError):
        certificate_render(certificate_id=cert_a.pk)
    cert_a.refresh_from_db()
    assert cert_a.status == CertificateStatus.FAILED and "No space left" in cert_a.error
    # The retry claims the failed certificate again and succeeds.
    monkeypatch.undo()
    assert certificate_render(certificate_id=cert_a.pk).status == CertificateStatus.READY


def test_a_revoked_certificate_is_not_rendered(cert_a, secretary):
    certificate_revoke(certificate=cert_a, by=secretary, reason="Fraud")
    assert certificate_render(certificate_id=cert_a.pk).status == CertificateStatus.REVOKED
    assert not Certificate.objects.get(pk=cert_a.pk).file


def test_rendering_a_missing_certificate_says_so(db):
    assert certificate_render(certificate_id=999_999).status == "missing"


def test_the_task_runs_twice_one_after_the_other_with_one_file(cert_a):
    from certificates.tasks import render_certificate

    assert render_certificate.delay(certificate_id=cert_a.pk).get() == CertificateStatus.READY
    first = Certificate.objects.get(pk=cert_a.pk)
    assert render_certificate.delay(certificate_id=cert_a.pk).get() == CertificateStatus.READY
    second = Certificate.objects.get(pk=cert_a.pk)
    assert (first.serial, first.file.name, first.checksum, first.attempts) == (
        second.serial,
        second.file.name,
        second.checksum,
        1,
    )
    assert stored_siblings(second.file) == [f"{cert_a.serial}.pdf"]


# ---- retry, regenerate, revoke -------------------------------------------------------------------


def test_retry_queues_a_failed_certificate(cert_a, secretary, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("certificates.rendering.certificate_pdf", lambda c: (_ for _ in ()).throw(ValueError("x")))
    certificate_render(certificate_id=cert_a.pk)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_retry(certificate=cert_a, by=secretary)
    cert_a.refresh_from_db()
    assert cert_a.status == CertificateStatus.READY and cert_a.attempts == 2


def test_retry_is_refused_for_a_ready_certificate(ready_cert_a, secretary):
    with pytest.raises(NotAllowed):
        certificate_retry(certificate=ready_cert_a, by=secretary)


def test_retry_requeues_a_stuck_pending_certificate(cert_a, secretary, settings):
    old = timezone.now() - dt.timedelta(seconds=settings.CERTIFICATE_CLAIM_STALE_SECONDS + 5)
    Certificate.objects.filter(pk=cert_a.pk).update(updated_at=old)
    assert certificate_retry(certificate=cert_a, by=secretary).status == CertificateStatus.PENDING


def test_retry_is_refused_to_an_applicant(cert_a, applicant_a):
    Certificate.objects.filter(pk=cert_a.pk).update(status=CertificateStatus.FAILED)
    with pytest.raises(PermissionDenied):
        certificate_retry(certificate=cert_a, by=applicant_a)


# ---- the sweeper (beat): stuck certificates are queued again --------------------------------------


def _age(cert, seconds, **fields):
    Certificate.objects.filter(pk=cert.pk).update(updated_at=timezone.now() - dt.timedelta(seconds=seconds), **fields)


def test_the_sweeper_requeues_abandoned_renders_and_lost_messages_and_they_finish(
    cert_a, settings, django_capture_on_commit_callbacks
):
    cert_b = issued_certificate(cycle=cert_a.cycle)
    _age(
        cert_a,
        settings.CERTIFICATE_CLAIM_STALE_SECONDS + 5,
        status=CertificateStatus.RENDERING,
        claim_token="dead-worker",
    )
    _age(cert_b, settings.CERTIFICATE_REQUEUE_PENDING_SECONDS + 5)  # pending, its message lost
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.certificates_requeue_stuck() == 2
    assert len(callbacks) == 1
    for cert in (cert_a, cert_b):
        cert.refresh_from_db()
        assert cert.status == CertificateStatus.READY and cert.claim_token == ""
    (event,) = AuditEvent.objects.filter(event=AuditEventType.CERTIFICATES_REQUEUED)
    assert event.actor is None and event.object_id == str(cert_a.cycle_id)
    assert sorted(event.payload["certificates"]) == sorted([cert_a.pk, cert_b.pk])
    assert event.payload["abandoned_renders"] == 1


def test_the_sweeper_leaves_live_failed_ready_and_revoked_certificates_alone(
    cert_a, ready_cert_b, settings, django_capture_on_commit_callbacks
):
    cycle = cert_a.cycle
    queued, failed, revoked = (issued_certificate(cycle=cycle) for _ in range(3))
    _age(
        cert_a, settings.CERTIFICATE_CLAIM_STALE_SECONDS - 30, status=CertificateStatus.RENDERING
    )  # a render in progress
    _age(queued, settings.CERTIFICATE_REQUEUE_PENDING_SECONDS - 30)  # queued behind a long batch
    _age(failed, 10**5, status=CertificateStatus.FAILED, error="ValueError: bad data")  # its error needs a person
    _age(revoked, 10**5, status=CertificateStatus.REVOKED)
    _age(ready_cert_b, 10**5)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.certificates_requeue_stuck() == 0
    assert callbacks == []
    statuses = dict(Certificate.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in (cert_a, queued, failed, revoked, ready_cert_b)] == [
        CertificateStatus.RENDERING,
        CertificateStatus.PENDING,
        CertificateStatus.FAILED,
        CertificateStatus.REVOKED,
        CertificateStatus.READY,
    ]
    assert not AuditEvent.objects.filter(event=AuditEventType.CERTIFICATES_REQUEUED).exists()


def test_a_requeued_certificate_is_not_requeued_again_at_the_next_sweep(cert_a, settings):
    _age(cert_a, settings.CERTIFICATE_REQUEUE_PENDING_SECONDS + 5)
    assert services.certificates_requeue_stuck() == 1  # (eager rendering waits for the commit)
    assert services.certificates_requeue_stuck() == 0


def test_the_sweeper_runs_on_beat_every_five_minutes(settings):
    from certificates.tasks import requeue_stuck_certificates

    entry = settings.CELERY_BEAT_SCHEDULE["certificates-requeue-stuck"]
    assert entry["task"] == requeue_stuck_certificates.name and entry["schedule"] == 300.0


def test_regenerate_renders_every_certificate_again_with_the_same_serials(
    ready_cert_a, ready_cert_b, secretary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_regenerate(cycle=ready_cert_a.cycle, by=secretary) == 2
    for before in (ready_cert_a, ready_cert_b):
        after = Certificate.objects.get(pk=before.pk)
        assert after.status == CertificateStatus.READY
        assert (after.serial, after.file.name, after.verification_code) == (
            before.serial,
            before.file.name,
            before.verification_code,
        )
        assert after.attempts == 2
    assert AuditEvent.objects.filter(event=AuditEventType.CERTIFICATES_REGENERATE).count() == 1


def test_regenerate_is_refused_while_a_batch_runs(cert_a, ready_cert_b, secretary):
    # cert_a is still pending: a batch is running.
    with pytest.raises(Conflict) as exc:
        certificates_regenerate(cycle=cert_a.cycle, by=secretary)
    assert exc.value.code == "batch_running"
    assert Certificate.objects.get(pk=ready_cert_b.pk).status == CertificateStatus.READY


def test_regenerate_twice_in_a_row_is_refused_the_second_time(ready_cert_a, secretary):
    assert certificates_regenerate(cycle=ready_cert_a.cycle, by=secretary) == 1
    with pytest.raises(Conflict):
        certificates_regenerate(cycle=ready_cert_a.cycle, by=secretary)


def test_regenerate_with_nothing_to_do_is_refused(cycle, secretary):
    with pytest.raises(NotAllowed):
        certificates_regenerate(cycle=cycle, by=secretary)


@pytest.mark.parametrize("persona", ["applicant_a", "expert", "committee_member"])
def test_regenerate_is_for_the_office_only(request, ready_cert_a, persona):
    with pytest.raises(PermissionDenied):
        certificates_regenerate(cycle=ready_cert_a.cycle, by=request.getfixturevalue(persona))


def test_revoke_records_the_reason_audits_and_revokes_the_award(ready_cert_a, secretary):
    certificate_revoke(certificate=ready_cert_a, by=secretary, reason="Award obtained by fraud")
    ready_cert_a.refresh_from_db()
    assert ready_cert_a.status == CertificateStatus.REVOKED and ready_cert_a.revoked_at is not None
    assert ready_cert_a.revoke_reason == "Award obtained by fraud"
    assert ready_cert_a.application.status == ApplicationStatus.REVOKED
    event = AuditEvent.objects.get(event=AuditEventType.CERTIFICATE_REVOKED)
    assert event.actor == secretary and event.payload["reason"] == "Award obtained by fraud"
    assert ready_cert_a.is_revoked and not ready_cert_a.is_downloadable


def test_revoke_needs_a_reason(ready_cert_a, secretary):
    with pytest.raises(NotAllowed):
        certificate_revoke(certificate=ready_cert_a, by=secretary, reason="   ")
    assert Certificate.objects.get(pk=ready_cert_a.pk).status == CertificateStatus.READY


def test_revoke_twice_is_refused(ready_cert_a, secretary):
    certificate_revoke(certificate=ready_cert_a, by=secretary, reason="Fraud")
    with pytest.raises(Conflict):
        certificate_revoke(certificate=ready_cert_a, by=secretary, reason="Fraud again")
    assert AuditEvent.objects.filter(event=AuditEventType.CERTIFICATE_REVOKED).count() == 1


@pytest.mark.parametrize("persona", ["applicant_a", "applicant_b", "expert", "committee_member"])
def test_revoke_is_for_the_office_only(request, ready_cert_a, persona):
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=ready_cert_a, by=request.getfixturevalue(persona), reason="x")


def test_a_certificate_counts_as_revoked_when_its_award_was_revoked_elsewhere(ready_cert_a, secretary):
    from awards.services import application_transition

    application_transition(
        application=ready_cert_a.application, to_status=ApplicationStatus.REVOKED, by=secretary, comment="Fraud"
    )
    cert = Certificate.objects.select_related("application").get(pk=ready_cert_a.pk)
    assert cert.is_revoked and cert.revoked_on is not None


# ---- concurrency (real transactions on PostgreSQL) ------------------------------------------------


def _in_threads(n, target):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=in_every_programme(run)) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_renders_produce_one_file(cycle, enterprise_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locking")
    from tests.factories.certificates import issued_certificate

    cert = issued_certificate(cycle=cycle, enterprise=enterprise_a)
    results, errors = _in_threads(4, lambda: certificate_render(certificate_id=cert.pk))
    assert errors == []
    statuses = sorted(r.status for r in results)
    assert statuses.count(CertificateStatus.READY) >= 1
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.READY and cert.attempts == 1  # exactly one claim won
    assert stored_siblings(cert.file) == [f"{cert.serial}.pdf"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_gives_gapless_unique_serials(cycle):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locking")
    for _ in range(6):
        awarded_application(cycle=cycle)
    results, errors = _in_threads(4, lambda: certificates_issue_for_cycle(cycle=cycle, by=None, system=True))
    assert errors == []
    assert sum(len(r) for r in results) == 6
    numbers = sorted(Certificate.objects.filter(cycle=cycle).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]
    assert CertificateCounter.objects.get(cycle=cycle).last_number == 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_regenerate_is_never_doubled(cycle, secretary, enterprise_a, enterprise_b):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locking")
    from tests.factories.certificates import issued_certificate

    for ent in (enterprise_a, enterprise_b):
        cert = issued_certificate(cycle=cycle, enterprise=ent)
        Certificate.objects.filter(pk=cert.pk).update(status=CertificateStatus.READY)
    queued = []
    original = services._queue_render
    services._queue_render = lambda ids, cycle_id=None: queued.extend(ids)
    try:
        results, errors = _in_threads(3, lambda: certificates_regenerate(cycle=cycle, by=secretary))
    finally:
        services._queue_render = original
    assert results == [2]
    assert len(errors) == 2 and all(isinstance(e, Conflict) for e in errors)
    assert sorted(queued) == sorted(Certificate.objects.filter(cycle=cycle).values_list("pk", flat=True))

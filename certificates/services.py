"""Writes for certificates: issue, render, retry, regenerate, revoke."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import ApplicationStatus
from awards.models import Application, AwardCycle
from awards.services import application_transition
from core.audit import audit_record
from core.enums import AuditEventType
from core.errors import Conflict, NotAllowed
from core.mail import mail_queue
from core.models import User
from core.outbox import outbox_add_tasks
from core.rules import require
from core.storage import storage_replace

from . import rendering
from .enums import CertificateStatus
from .models import Certificate, CertificateCounter

logger = logging.getLogger(__name__)
MANAGE = "certificates.manage_certificates"

# Errors worth another attempt later (disk, database, network); anything else is recorded as failed.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OSError, OperationalError, InterfaceError)


def _stale_seconds() -> int:
    return settings.CERTIFICATE_CLAIM_STALE_SECONDS


def _stale_before(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=_stale_seconds())


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("certificates:verify", kwargs={"code": code})


def new_verification_code() -> str:
    """32 URL-safe characters (192 random bits): unguessable."""
    return secrets.token_urlsafe(24)


def serial_for(cycle: AwardCycle, number: int) -> str:
    return f"{cycle.programme.certificate_prefix}-{cycle.year}-{number:03d}"


def certificate_words(cycle: AwardCycle) -> dict[str, str]:
    """What a certificate of `cycle` says of the award and its issuer, taken from the cycle and its
    programme when the certificate is issued and stored on it: the certificate, its verification page
    and the lists read them from there, so renaming the programme later leaves given certificates as
    they were."""
    programme = cycle.programme
    return {
        "award_name_zh": programme.name_zh,
        "award_name_en": programme.name_en,
        "award_title_zh": cycle.title_zh,
        "award_title_en": cycle.title_en,
        "issuer_zh": programme.organiser_zh,
        "issuer_en": programme.organiser_en,
        "seal_text": programme.seal_text,
        "signature_zh": programme.signature_zh,
        "signature_en": programme.signature_en,
    }


def _queue_render(ids: list[int], cycle_id: int | None = None) -> None:
    """Outbox rows in the current transaction; rendered once it commits and the broker answers."""
    outbox_add_tasks(
        task_name="certificates.tasks.render_certificate",
        kwargs_list=[{"certificate_id": pk} for pk in ids],
        cycle_id=cycle_id,
    )


def _locked_counter(cycle: AwardCycle) -> CertificateCounter:
    """The cycle's counter row, locked until the transaction ends: serialises issuing and batches."""
    CertificateCounter.objects.get_or_create(cycle=cycle)
    return CertificateCounter.objects.select_for_update().get(cycle=cycle)


def certificates_issue_for_cycle(*, cycle: AwardCycle, by: User | None, system: bool = False) -> list[Certificate]:
    """Create a certificate for every awarded application of the cycle that has none; render on commit.

    Serials are gapless within the cycle: they come from a counter row locked for the transaction,
    so concurrent callers wait for each other and a rollback gives the numbers back. Calling it
    again creates nothing new. `system=True` is for the project's own work (e.g. confirming winners).
    """
    if not system:
        require(MANAGE, by, cycle, _("Only the award office of this cycle may issue its certificates."))
    created: list[Certificate] = []
    with transaction.atomic():
        counter = _locked_counter(cycle)
        awarded = (
            Application.objects.filter(
                cycle=cycle, status=ApplicationStatus.AWARDED, award_level__isnull=False, certificate__isnull=True
            )
            .select_related("enterprise", "award_level")
            .order_by("award_level__rank", "enterprise__name_zh", "enterprise__name_en", "pk")
        )
        words = certificate_words(cycle)
        for application in awarded:
            counter.last_number += 1
            code = new_verification_code()
            certificate = Certificate.objects.create(
                application=application,
                cycle=cycle,
                award_level=application.award_level,
                number=counter.last_number,
                serial=serial_for(cycle, counter.last_number),
                verification_code=code,
                verification_url=verification_url(code),
                # The day the award was conferred, in China Standard Time.
                issued_on=timezone.localdate(application.status_changed_at),
                **words,
            )
            audit_record(
                event=AuditEventType.CERTIFICATE_ISSUED,
                obj=certificate,
                by=by,
                payload={
                    "serial": certificate.serial,
                    "application": application.pk,
                    "level": application.award_level.code,
                },
            )
            created.append(certificate)
        counter.save(update_fields=["last_number"])
        ids = [c.pk for c in created]
        if ids:
            _queue_render(ids, cycle.pk)
    return created


@dataclass(frozen=True)
class RenderOutcome:
    status: str
    busy_for: float | None = None  # another live claim holds it: try again in this many seconds


def _claimable(now: dt.datetime) -> Q:
    return Q(status__in=[CertificateStatus.PENDING, CertificateStatus.FAILED]) | Q(
        status=CertificateStatus.RENDERING, claimed_at__lt=_stale_before(now)
    )


def _write_atomically(relative_name: str, data: bytes) -> None:
    """Readers see the old file or the new one, never half of one (local rename or one S3 PUT)."""
    storage_replace(Certificate._meta.get_field("file").storage, relative_name, ContentFile(data))


def certificate_file_name(certificate: Certificate) -> str:
    return f"certificates/{certificate.cycle.year}/{certificate.serial}.pdf"


def certificate_render(*, certificate_id: int) -> RenderOutcome:
    """Render one certificate to its PDF file, idempotently; what the Celery task calls.

    The render is claimed with a conditional update (pending/failed, or a rendering claim older
    than the time limit, becomes rendering with our token), so two workers never both render it.
    A ready or revoked certificate is left as it is: same serial, same file.
    """
    now = timezone.now()
    token = secrets.token_hex(8)
    claimed = (
        Certificate.objects.filter(_claimable(now), pk=certificate_id).update(
            status=CertificateStatus.RENDERING,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
        == 1
    )
    if not claimed:
        current = Certificate.objects.filter(pk=certificate_id).values("status", "claimed_at").first()
        if current is None:
            return RenderOutcome("missing")
        if current["status"] == CertificateStatus.RENDERING:
            left = (current["claimed_at"] + dt.timedelta(seconds=_stale_seconds()) - now).total_seconds()
            return RenderOutcome(CertificateStatus.RENDERING, busy_for=max(left, 1.0))
        return RenderOutcome(current["status"])

    mine = Certificate.objects.filter(pk=certificate_id, status=CertificateStatus.RENDERING, claim_token=token)
    try:
        certificate = Certificate.objects.select_related("cycle", "award_level", "application__enterprise").get(
            pk=certificate_id
        )
        if settings.CERTIFICATE_RENDER_DELAY:  # tests only: widens the window in which a worker can die
            time.sleep(settings.CERTIFICATE_RENDER_DELAY)
        pdf = rendering.certificate_pdf(certificate)
        name = certificate_file_name(certificate)
        _write_atomically(name, pdf)
    except Exception as exc:
        mine.update(
            status=CertificateStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            claim_token="",
            updated_at=timezone.now(),
        )
        if isinstance(exc, TRANSIENT_ERRORS):
            raise  # the task retries with backoff
        logger.exception("Certificate %s could not be rendered", certificate_id)
        return RenderOutcome(CertificateStatus.FAILED)

    done = timezone.now()
    with transaction.atomic():
        first_render = Certificate.objects.filter(pk=certificate_id, rendered_at__isnull=True).exists()
        finished = mine.update(
            status=CertificateStatus.READY,
            file=name,
            checksum=hashlib.sha256(pdf).hexdigest(),
            size_bytes=len(pdf),
            rendered_at=done,
            error="",
            claim_token="",
            updated_at=done,
        )
        if finished and first_render:
            _notify_ready(certificate_id)
    if not finished:
        # Revoked meanwhile, or our claim went stale and another worker took it over.
        return RenderOutcome(Certificate.objects.filter(pk=certificate_id).values_list("status", flat=True).first())
    return RenderOutcome(CertificateStatus.READY)


def _notify_ready(certificate_id: int) -> None:
    """The enterprise's members learn that the certificate can be downloaded (first rendering only)."""
    from enterprises.models import EnterpriseMembership  # noqa: PLC0415 -- enterprises imports awards: avoid a cycle

    certificate = Certificate.objects.select_related("application__enterprise", "award_level", "cycle").get(
        pk=certificate_id
    )
    application = certificate.application
    context = {
        "enterprise": application.enterprise.official_name,
        "serial": certificate.serial,
        "level_zh": application.level_name_zh,
        "level_en": application.level_name_en,
        "cycle_zh": certificate.cycle.title_zh,
        "cycle_en": certificate.cycle.title_en,
        "download": settings.SITE_URL + reverse("certificates:download", args=[certificate.pk]),
        "verification_url": certificate.verification_url,
    }
    for membership in EnterpriseMembership.objects.filter(enterprise_id=application.enterprise_id).select_related(
        "user"
    ):
        mail_queue(
            template="certificate_ready",
            context=context,
            to_user=membership.user,
            cycle=certificate.cycle_id,
            programme=certificate.cycle.programme,
        )


def _retryable(now: dt.datetime) -> Q:
    """Failed, or stuck: pending or rendering without progress for longer than the time limit."""
    return Q(status=CertificateStatus.FAILED) | Q(
        status__in=[CertificateStatus.PENDING, CertificateStatus.RENDERING], updated_at__lt=_stale_before(now)
    )


def batch_running(cycle: AwardCycle, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return Certificate.objects.filter(
        cycle=cycle,
        status__in=[CertificateStatus.PENDING, CertificateStatus.RENDERING],
        updated_at__gte=_stale_before(now),
    ).exists()


def certificate_retry(*, certificate: Certificate, by: User) -> Certificate:
    """Queue a failed (or stuck) certificate for rendering again."""
    require(MANAGE, by, certificate.cycle, _("Only the award office of this cycle may retry its certificates."))
    now = timezone.now()
    with transaction.atomic():
        queued = (
            Certificate.objects.filter(_retryable(now), pk=certificate.pk).update(
                status=CertificateStatus.PENDING, error="", claim_token="", updated_at=now
            )
            == 1
        )
        if not queued:
            raise NotAllowed(_("Only a failed certificate can be rendered again."), code="not_failed")
        audit_record(event=AuditEventType.CERTIFICATE_RETRY, obj=certificate, by=by)
        _queue_render([certificate.pk], certificate.cycle_id)
    certificate.refresh_from_db()
    return certificate


def certificates_regenerate(*, cycle: AwardCycle, by: User) -> int:
    """Render every certificate of the cycle again (e.g. after a correction); returns how many.

    Refused while a batch is still running, so a double click never doubles the work: the check
    and the change happen under the cycle's counter lock.
    """
    require(MANAGE, by, cycle, _("Only the award office of this cycle may regenerate its certificates."))
    now = timezone.now()
    with transaction.atomic():
        _locked_counter(cycle)
        if batch_running(cycle, now):
            raise Conflict(
                _("Certificates of this cycle are being rendered right now. Please wait until the batch is done."),
                code="batch_running",
            )
        ids = list(
            Certificate.objects.filter(cycle=cycle)
            .filter(Q(status__in=[CertificateStatus.READY, CertificateStatus.FAILED]) | _retryable(now))
            .values_list("pk", flat=True)
        )
        if not ids:
            raise NotAllowed(_("This cycle has no certificates to regenerate."), code="nothing_to_do")
        Certificate.objects.filter(pk__in=ids).update(
            status=CertificateStatus.PENDING, error="", claim_token="", updated_at=now
        )
        audit_record(
            event=AuditEventType.CERTIFICATES_REGENERATE,
            obj=cycle,
            by=by,
            payload={"certificates": len(ids)},
        )
        _queue_render(ids, cycle.pk)
    return len(ids)


def certificates_reissue_for_enterprise(*, enterprise_id: int, by: User | None, name_change_id: int) -> list[int]:
    """Render the enterprise's certificates again under its new names of record, after the award
    office approved a change of name (enterprises.services.name_change_decide checks who may).

    Same serial and verification code, so a printed QR code keeps verifying; revoked certificates stay
    as they are. Returns the ids queued (on commit).
    """
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Certificate.objects.filter(application__enterprise_id=enterprise_id)
            .exclude(status=CertificateStatus.REVOKED)
            .exclude(application__status=ApplicationStatus.REVOKED)
            .values_list("pk", flat=True)
        )
        if not ids:
            return []
        Certificate.objects.filter(pk__in=ids).update(
            status=CertificateStatus.PENDING, error="", claim_token="", reissued_at=now, updated_at=now
        )
        for certificate in Certificate.objects.filter(pk__in=ids):
            audit_record(
                event=AuditEventType.CERTIFICATE_REISSUED,
                obj=certificate,
                by=by,
                payload={"serial": certificate.serial, "name_change": name_change_id},
            )
        _queue_render(ids)  # outbox rows in this transaction: rendered once it commits
    return ids


def _stuck(now: dt.datetime) -> Q:
    """Waiting without progress: a claim older than the stale limit (its worker died), or pending for
    longer than CERTIFICATE_REQUEUE_PENDING_SECONDS (its message was lost, e.g. Redis restarted)."""
    return Q(status=CertificateStatus.RENDERING, updated_at__lt=_stale_before(now)) | Q(
        status=CertificateStatus.PENDING,
        updated_at__lt=now - dt.timedelta(seconds=settings.CERTIFICATE_REQUEUE_PENDING_SECONDS),
    )


def certificates_requeue_stuck(*, now: dt.datetime | None = None) -> int:
    """Queue stuck certificates again (the system does this every few minutes; see tasks).

    Without it a certificate whose worker was killed outright waits for the broker's visibility
    timeout (an hour), and one whose message was lost waits for the secretary's retry button.
    Failed certificates are left to the secretary: their error needs a person. Rendering twice is
    impossible (the task claims first), so a message that was only slow costs one no-op task.
    Returns how many were queued; one audit event per cycle records them.
    """
    now = now or timezone.now()
    with transaction.atomic():
        stuck = list(
            Certificate.objects.select_for_update(skip_locked=True)
            .filter(_stuck(now))
            .values_list("pk", "cycle_id", "status")
        )
        if not stuck:
            return 0
        ids = [pk for pk, _cycle, _status in stuck]
        Certificate.objects.filter(pk__in=ids).filter(_stuck(now)).update(
            status=CertificateStatus.PENDING, claim_token="", updated_at=now
        )
        cycles = AwardCycle.objects.in_bulk({cycle for _pk, cycle, _status in stuck})
        for cycle_id in sorted(cycles):
            rows = [(pk, status) for pk, cycle, status in stuck if cycle == cycle_id]
            audit_record(
                event=AuditEventType.CERTIFICATES_REQUEUED,
                obj=cycles[cycle_id],
                by=None,
                payload={
                    "certificates": [pk for pk, _status in rows],
                    "abandoned_renders": sum(status == CertificateStatus.RENDERING for _pk, status in rows),
                },
            )
        for cycle_id in sorted(cycles):
            _queue_render([pk for pk, cycle, _status in stuck if cycle == cycle_id], cycle_id)
    logger.warning("Queued %s stuck certificate(s) again: %s", len(ids), ids)
    return len(ids)


def certificate_revoke(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """Revoke a certificate and the award it documents; the verification page then says revoked."""
    require(MANAGE, by, certificate.cycle, _("Only the award office of this cycle may revoke its certificates."))
    reason = (reason or "").strip()
    if not reason:
        raise NotAllowed(_("Please give the reason for the revocation."), code="reason_required")
    now = timezone.now()
    with transaction.atomic():
        revoked = (
            Certificate.objects.filter(pk=certificate.pk)
            .exclude(status=CertificateStatus.REVOKED)
            .update(
                status=CertificateStatus.REVOKED, revoked_at=now, revoke_reason=reason, claim_token="", updated_at=now
            )
        )
        if not revoked:
            raise Conflict(_("This certificate has already been revoked."), code="already_revoked")
        audit_record(
            event=AuditEventType.CERTIFICATE_REVOKED,
            obj=certificate,
            by=by,
            payload={"serial": certificate.serial, "reason": reason},
        )
        application = Application.objects.get(pk=certificate.application_id)
        if application.status == ApplicationStatus.AWARDED:
            application_transition(
                application=application,
                to_status=ApplicationStatus.REVOKED,
                by=by,
                comment=reason,
                payload={"certificate": certificate.serial},
            )
    certificate.refresh_from_db()
    return certificate

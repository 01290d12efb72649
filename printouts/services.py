"""Writes for printouts: request a PDF of a submitted version (queued through the outbox), render it."""

from __future__ import annotations

import hashlib
import io
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from awards.models import ApplicationSnapshot
from core.audit import audit_record
from core.enums import AuditEventType
from core.errors import NotAllowed
from core.models import User
from core.outbox import outbox_add_task
from core.rules import require

from .enums import Document, PrintStatus
from .models import Printout
from .rendering import printout_pdf

logger = logging.getLogger(__name__)

TASK = "printouts.tasks.render_printout"


def printout_request(*, snapshot: ApplicationSnapshot, document: str, by: User) -> Printout:
    """Ask the worker for the PDF of a submitted version. A ready one is returned as it is (the version
    never changes); a failed one is queued again. Harmless when called twice."""
    application = snapshot.application
    require(
        "printouts.print_application",
        by,
        application,
        _("Only the enterprise and the award office may print this application."),
    )
    if document not in Document.values:
        raise NotAllowed(_("There is no such document."), code="document")
    with transaction.atomic():
        printout, created = Printout.objects.get_or_create(
            snapshot=snapshot, document=document, defaults={"requested_by": by}
        )
        requeue = not created and printout.status == PrintStatus.FAILED
        if requeue:
            Printout.objects.filter(pk=printout.pk, status=PrintStatus.FAILED).update(
                status=PrintStatus.PENDING, error="", requested_by=by, requested_at=timezone.now()
            )
        if created or requeue:
            audit_record(
                event=AuditEventType.PRINTOUT_REQUESTED,
                obj=printout,
                by=by,
                payload={"document": document, "receipt": snapshot.receipt_number},
            )
            outbox_add_task(task_name=TASK, kwargs={"printout_id": printout.pk}, cycle_id=application.cycle_id)
    printout.refresh_from_db()
    return printout


def _pages(pdf: bytes) -> int:

    return len(PdfReader(io.BytesIO(pdf)).pages)


def printout_render(*, printout_id: int) -> str:
    """Render one printout; what the task calls. Claimed with a conditional update, so a message the
    broker delivers twice renders once; a ready printout is left as it is."""

    claimed = Printout.objects.filter(
        Q(status=PrintStatus.PENDING) | Q(status=PrintStatus.FAILED), pk=printout_id
    ).update(status=PrintStatus.RENDERING)
    if not claimed:
        return Printout.objects.filter(pk=printout_id).values_list("status", flat=True).first() or "missing"
    printout = Printout.objects.select_related("snapshot__application__cycle", "snapshot__submitted_by").get(
        pk=printout_id
    )
    try:
        pdf = printout_pdf(printout.snapshot, printout.document)
        name = default_storage.save(
            f"printouts/{printout.snapshot.application_id}/{printout.snapshot.receipt_number}-{printout.document}.pdf",
            ContentFile(pdf),
        )
    except OSError:
        Printout.objects.filter(pk=printout_id).update(status=PrintStatus.PENDING)
        raise  # the task retries
    except Exception as exc:
        logger.exception("Printout %s could not be rendered", printout_id)
        Printout.objects.filter(pk=printout_id).update(
            status=PrintStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return PrintStatus.FAILED
    Printout.objects.filter(pk=printout_id, status=PrintStatus.RENDERING).update(
        status=PrintStatus.READY,
        file=name,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size_bytes=len(pdf),
        pages=_pages(pdf),
        rendered_at=timezone.now(),
        error="",
    )
    return PrintStatus.READY

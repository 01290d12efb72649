"""Writes for cycles and applications. Every status change goes through application_transition."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.enums import AuditAction
from core.errors import Conflict, NotAllowed
from core.models import User

from .enums import ApplicationStatus
from .models import Application, ApplicationTransition
from .rules import may_make_transition
from .workflow import transition_for


def application_transition(
    *,
    application: Application,
    to_status: str,
    by: User | None,
    comment: str = "",
    payload: dict[str, Any] | None = None,
    extra_fields: dict[str, Any] | None = None,
    system: bool = False,
) -> Application:
    """Move an application to `to_status` if the table allows it and `by` may make the move.

    The status changes with a conditional update, so of two concurrent transitions from the same
    status exactly one succeeds; the other gets a Conflict. `system=True` is for the project's own
    scheduled work and skips the role check (never for a request made by a person).
    """
    from_status = application.status
    transition = transition_for(from_status, to_status)
    if transition is None:
        raise NotAllowed(
            _("An application that is “%(from)s” cannot become “%(to)s”.")
            % {"from": ApplicationStatus(from_status).label, "to": ApplicationStatus(to_status).label},
            code="illegal_transition",
        )
    if not system and (by is None or not may_make_transition(by, application, transition)):
        raise PermissionDenied(_("You may not make this change to the application."))
    if transition.needs_comment and not comment.strip():
        raise NotAllowed(_("Please give a reason for this decision."), code="comment_required")

    now = timezone.now()
    fields = {"status": to_status, "status_changed_at": now, "version": F("version") + 1, "updated_at": now}
    fields.update(extra_fields or {})
    with transaction.atomic():
        updated = Application.objects.filter(pk=application.pk, status=from_status).update(**fields)
        if updated == 0:
            raise Conflict(
                _(
                    "The application was changed by someone else a moment ago. Please reload the page and check its status."  # noqa: E501
                )
            )
        ApplicationTransition.objects.create(
            application=application,
            from_status=from_status,
            to_status=to_status,
            by=by if by is not None and by.is_authenticated else None,
            at=now,
            comment=comment,
        )
        audit_record(
            action=AuditAction.TRANSITION,
            obj=application,
            by=by,
            payload={"from": from_status, "to": to_status, "comment": comment, **(payload or {})},
        )
    application.refresh_from_db()
    return application

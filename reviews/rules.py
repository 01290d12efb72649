"""Who may do what in expert review: predicates composed from cycle role, assignment and state."""

from __future__ import annotations

import rules
from django.utils import timezone

from awards.enums import CycleRole
from awards.models import ApplicationSnapshot, AwardCycle, CycleMembership
from awards.rules import can_view_attachment, is_admin

from .enums import AssignmentStatus, SheetStatus
from .models import Assignment, DeclaredConflict, Panel, ReviewRound, ScoreSheet


def _cycle_id_of(obj) -> int | None:
    """Cycle, round, panel, assignment or sheet → the cycle's id."""
    if obj is None:
        return None
    if isinstance(obj, AwardCycle):
        return obj.pk
    if isinstance(obj, ReviewRound):
        return obj.cycle_id
    if isinstance(obj, Panel):
        return obj.round.cycle_id
    if isinstance(obj, Assignment):
        return obj.panel.round.cycle_id
    if isinstance(obj, ScoreSheet):
        return obj.assignment.panel.round.cycle_id
    return getattr(obj, "cycle_id", None)


@rules.predicate
def is_review_secretary(user, obj) -> bool:
    if not user.is_authenticated or obj is None:
        return False
    return CycleMembership.objects.filter(user=user, cycle_id=_cycle_id_of(obj), role=CycleRole.SECRETARY).exists()


@rules.predicate
def is_own_assignment(user, assignment) -> bool:
    """This assignment is the signed-in expert's (whatever its state): the one statement of it."""
    return user.is_authenticated and assignment is not None and assignment.expert_id == user.pk


@rules.predicate
def is_self(user, other) -> bool:
    """The signed-in user is `other` (e.g. an expert keeping their own profile)."""
    return user.is_authenticated and other is not None and other.pk == user.pk


@rules.predicate
def has_submitted_on_panel(user, panel) -> bool:
    """A member of the panel who has submitted their own sheet: only then are others' scores shown."""
    if not user.is_authenticated or panel is None:
        return False
    return (
        Assignment.objects.filter(panel=panel, expert=user, sheet__status=SheetStatus.SUBMITTED)
        .exclude(status=AssignmentStatus.CONFLICT)
        .exists()
    )


@rules.predicate
def is_panel_leader(user, panel) -> bool:
    if not user.is_authenticated or panel is None:
        return False
    return (
        Assignment.objects.filter(panel=panel, expert=user, is_leader=True)
        .exclude(status=AssignmentStatus.CONFLICT)
        .exists()
    )


@rules.predicate
def is_pool_expert(user) -> bool:
    return user.is_authenticated and CycleMembership.objects.filter(user=user, role=CycleRole.EXPERT).exists()


@rules.predicate
def is_attachment_expert(user, attachment) -> bool:
    """An expert on a panel of the attachment's application, in a round that has opened, who declared no
    conflict; and only for a file of the latest submitted version (what the experts score)."""
    if not user.is_authenticated or attachment is None:
        return False
    assigned = Assignment.objects.filter(
        expert=user,
        status=AssignmentStatus.ACCEPTED,
        panel__application_id=attachment.application_id,
        panel__round__opens_at__lte=timezone.now(),
    ).exists()
    if not assigned:
        return False

    if DeclaredConflict.objects.filter(expert=user, enterprise__applications=attachment.application_id).exists():
        return False  # a conflict declared in any round closes the enterprise's files to the expert
    data = (
        ApplicationSnapshot.objects.filter(application_id=attachment.application_id)
        .order_by("-number")
        .values_list("data", flat=True)
        .first()
    )
    return any(a.get("id") == attachment.pk for a in (data or {}).get("attachments") or [])


is_review_office = is_admin | is_review_secretary

rules.add_perm("reviews.manage_reviews", is_review_office)
rules.add_perm("reviews.view_panel", is_review_office | has_submitted_on_panel)
rules.add_perm("reviews.record_consensus", is_panel_leader & has_submitted_on_panel)
rules.add_perm("reviews.edit_own_profile", is_pool_expert)
# The one place that decides who may download an application's file: the awards rule (applicants, office)
# widened by the panel's experts. Runs after awards/rules.py (INSTALLED_APPS order: awards before reviews).
rules.set_perm("awards.view_attachment", can_view_attachment | is_attachment_expert)

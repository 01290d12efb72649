"""Who may recommend, and who may see a recommendation: predicates on an Application."""

from __future__ import annotations

import rules

from awards.enums import CycleRole
from awards.models import CycleMembership
from awards.rules import is_district_recommender, is_office


@rules.predicate
def is_any_recommender(user) -> bool:
    return user.is_authenticated and CycleMembership.objects.filter(user=user, role=CycleRole.RECOMMENDER).exists()


rules.add_perm("vetting.recommend", is_district_recommender)
rules.add_perm("vetting.view_recommendations", is_district_recommender | is_office)
rules.add_perm("vetting.access_recommendations", is_any_recommender)


@rules.predicate
def is_any_department(user) -> bool:
    return user.is_authenticated and CycleMembership.objects.filter(user=user, role=CycleRole.DEPARTMENT).exists()


rules.add_perm("vetting.access_opinions", is_any_department)


@rules.predicate
def is_asked_department(user, request) -> bool:
    """The department an opinion request was sent to."""
    return user.is_authenticated and request is not None and request.department_id == user.pk


# --- 陈述答辩 presentation and defence: predicates on a PresentationSession --------------------------


@rules.predicate
def is_session_panel(user, session) -> bool:
    return user.is_authenticated and session is not None and session.panel.filter(pk=user.pk).exists()


@rules.predicate
def is_any_presentation_panel(user) -> bool:
    return user.is_authenticated and user.presentation_sessions.exists()


rules.add_perm("vetting.record_presentation", is_session_panel)
rules.add_perm("vetting.access_presentations", is_any_presentation_panel)


def can_access_presentations(user) -> bool:
    """What `user.has_perm("vetting.access_presentations")` answers (an active superuser, or a member of
    a presentation panel), in one query and without loading the user's model permissions: the
    navigation asks on every page an expert or committee member sees."""
    if not user.is_authenticated:
        return False
    if user.is_active and user.is_superuser:
        return True
    return is_any_presentation_panel(user)

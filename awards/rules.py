"""Who may do what with cycles and applications: predicates composed from role and state."""

from __future__ import annotations

import rules

from enterprises import rules as enterprise_rules
from enterprises.models import EnterpriseMembership

from .enums import Actor, ApplicationStatus, CycleRole
from .models import CycleMembership
from .selectors import user_roles
from .workflow import EDITABLE_STATUSES, Transition


def _cycle_id(obj) -> int | None:
    if obj is None:
        return None
    if hasattr(obj, "cycle_id"):
        return obj.cycle_id
    return obj.pk


def _has_cycle_role(user, obj, role: str) -> bool:
    if not user.is_authenticated or obj is None:
        return False

    return CycleMembership.objects.filter(user=user, cycle_id=_cycle_id(obj), role=role).exists()


@rules.predicate
def is_admin(user) -> bool:
    return user.is_authenticated and user.is_superuser


@rules.predicate
def is_cycle_secretary(user, obj) -> bool:
    return _has_cycle_role(user, obj, CycleRole.SECRETARY)


@rules.predicate
def is_cycle_committee(user, obj) -> bool:
    return _has_cycle_role(user, obj, CycleRole.COMMITTEE)


@rules.predicate
def is_any_secretary(user) -> bool:
    """Secretary of some cycle: the roles the navigation reads anyway (one query for the request)."""
    return user.is_authenticated and user_roles(user).is_secretary


@rules.predicate
def is_applicant(user, application) -> bool:
    """A member (owner or editor) of the application's enterprise."""
    if not user.is_authenticated or application is None:
        return False

    return EnterpriseMembership.objects.filter(user=user, enterprise_id=application.enterprise_id).exists()


@rules.predicate
def is_district_recommender(user, application) -> bool:
    """The recommending body of the cycle for the district the application's enterprise is registered in."""
    if not user.is_authenticated or application is None:
        return False

    return CycleMembership.objects.filter(
        user=user,
        cycle_id=application.cycle_id,
        role=CycleRole.RECOMMENDER,
        district=application.enterprise.district,
    ).exists()


@rules.predicate
def is_consulted_department(user, application) -> bool:
    """A department of the cycle asked for its records on this application (see vetting/rules.py)."""
    if not user.is_authenticated or application is None:
        return False

    return CycleMembership.objects.filter(user=user, cycle_id=application.cycle_id, role=CycleRole.DEPARTMENT).exists()


@rules.predicate
def is_editable(_user, application) -> bool:
    return application is not None and application.status in EDITABLE_STATUSES


is_office = is_admin | is_cycle_secretary
is_office_anywhere = is_admin | is_any_secretary

rules.add_perm("awards.view_application", is_applicant | is_office)
rules.add_perm("awards.edit_application", is_applicant & is_editable)
rules.add_perm("awards.manage_cycle", is_office)
rules.add_perm("awards.access_office", is_office_anywhere)

_ACTOR_PREDICATES = {
    Actor.APPLICANT: is_applicant,
    Actor.SECRETARY: is_office,
    Actor.RECOMMENDER: is_district_recommender,
    Actor.DEPARTMENT: is_consulted_department,
}


def may_make_transition(user, application, transition: Transition) -> bool:
    return any(_ACTOR_PREDICATES[actor].test(user, application) for actor in transition.actors)


# --- attachments ---------------------------------------------------------------------------------
# Predicates on an ApplicationAttachment: they test the user against the attachment's application.


@rules.predicate
def is_attachment_applicant(user, attachment) -> bool:
    return attachment is not None and is_applicant.test(user, attachment.application)


@rules.predicate
def is_attachment_office(user, attachment) -> bool:
    return attachment is not None and is_office.test(user, attachment.application)


@rules.predicate
def is_attachment_recommender(user, attachment) -> bool:
    """The district's recommending body, for a submitted application (it checks the evidence)."""
    if attachment is None or attachment.application.status == ApplicationStatus.DRAFT:
        return False
    return is_district_recommender.test(user, attachment.application)


# Who may download an evidence file. The expert review widens this to its assigned experts in
# reviews/rules.py: rules.set_perm("awards.view_attachment", can_view_attachment | is_attachment_expert).
can_view_attachment = is_attachment_applicant | is_attachment_office | is_attachment_recommender
rules.add_perm("awards.view_attachment", can_view_attachment)


# --- enterprises' rules that depend on award roles (enterprises sits below awards) ------------------


@rules.predicate
def has_review_role(user) -> bool:
    """Award office, experts and committee members judge applicants: they do not apply themselves."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True

    return CycleMembership.objects.filter(user=user).exists()


rules.set_perm(
    "enterprises.register_enterprise",
    enterprise_rules.is_email_verified & ~enterprise_rules.has_enterprise & ~has_review_role,
)
rules.set_perm("enterprises.join_enterprise", rules.is_authenticated & ~has_review_role)
rules.set_perm("enterprises.view_as_office", is_office_anywhere)
rules.set_perm("enterprises.decide_name_change", is_office_anywhere)

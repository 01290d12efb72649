"""Who may do what on the on-site workbench: predicates on a SiteVisit (or a material Assignment)."""

from __future__ import annotations

import rules

from awards.rules import is_admin, is_applicant, is_cycle_secretary
from reviews.enums import AssignmentStatus, RoundKind
from reviews.rules import is_panel_leader


def _team(visit):
    return visit.panel.assignments.exclude(status=AssignmentStatus.CONFLICT)


@rules.predicate
def is_visit_member(user, visit) -> bool:
    """An expert of the on-site panel who has not been released by a conflict."""
    return user.is_authenticated and visit is not None and _team(visit).filter(expert=user).exists()


@rules.predicate
def is_visit_leader(user, visit) -> bool:
    return user.is_authenticated and visit is not None and _team(visit).filter(expert=user, is_leader=True).exists()


@rules.predicate
def is_visit_office(user, visit) -> bool:
    return visit is not None and (is_admin.test(user) or is_cycle_secretary.test(user, visit.application))


@rules.predicate
def is_visit_applicant(user, visit) -> bool:
    return visit is not None and is_applicant.test(user, visit.application)


@rules.predicate
def is_visit_open(_user, visit) -> bool:
    return visit is not None and not visit.is_closed


@rules.predicate
def is_visit_closed(_user, visit) -> bool:
    return visit is not None and visit.is_closed


@rules.predicate
def is_flagging_expert(user, assignment) -> bool:
    """The expert of a material-review assignment who declared no conflict."""

    return (
        user.is_authenticated
        and assignment is not None
        and assignment.expert_id == user.pk
        and assignment.status == AssignmentStatus.ACCEPTED
        and assignment.panel.round.kind == RoundKind.MATERIAL
    )


def may_open_visit(user, panel) -> bool:
    """May open the workbench of an on-site panel's application: the award office or the panel's leader."""
    return rules.has_perm("reviews.manage_reviews", user, panel.round.cycle) or is_panel_leader.test(user, panel)


rules.add_perm("onsite.view_visit", is_visit_member | is_visit_office)
rules.add_perm("onsite.log_visit", is_visit_member & is_visit_open)
rules.add_perm("onsite.lead_visit", is_visit_leader & is_visit_open)
# The enterprise reads the closing summary and the findings once the visit is closed, never the logs.
rules.add_perm("onsite.view_summary", (is_visit_applicant & is_visit_closed) | is_visit_member | is_visit_office)
rules.add_perm("onsite.flag_items", is_flagging_expert)

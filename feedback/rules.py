"""Who may do what with feedback reports: predicates from role and the report's state."""

from __future__ import annotations

import rules

from awards.rules import is_admin, is_applicant, is_cycle_secretary

from .enums import ReportActor, ReportStatus
from .workflow import Transition


@rules.predicate
def is_report_leader(user, report) -> bool:
    """The panel leader of the report's application (in any round), not released by a conflict."""
    from reviews.enums import AssignmentStatus  # noqa: PLC0415 -- rules load before the apps' models
    from reviews.models import Assignment  # noqa: PLC0415 -- rules load before the apps' models

    if not user.is_authenticated or report is None:
        return False
    return (
        Assignment.objects.filter(expert=user, is_leader=True, panel__application_id=report.application_id)
        .exclude(status=AssignmentStatus.CONFLICT)
        .exists()
    )


@rules.predicate
def is_report_office(user, report) -> bool:
    return report is not None and (is_admin.test(user) or is_cycle_secretary.test(user, report.application))


@rules.predicate
def is_report_enterprise(user, report) -> bool:
    return report is not None and is_applicant.test(user, report.application)


@rules.predicate
def is_released(_user, report) -> bool:
    return report is not None and report.status in (ReportStatus.RELEASED, ReportStatus.SUPERSEDED)


@rules.predicate
def is_draft(_user, report) -> bool:
    return report is not None and report.status == ReportStatus.DRAFT


@rules.predicate
def in_review(_user, report) -> bool:
    return report is not None and report.status == ReportStatus.REVIEW


is_office = is_admin | is_cycle_secretary

# Object: the report.
rules.add_perm("feedback.view_report", is_report_office | is_report_leader | (is_report_enterprise & is_released))
rules.add_perm("feedback.edit_report", (is_report_leader & is_draft) | (is_report_office & in_review))
# Object: the cycle (reports of a cycle, the archive) or an application (start its report).
rules.add_perm("feedback.manage_reports", is_office)

_ACTORS = {ReportActor.LEADER: is_report_leader, ReportActor.OFFICE: is_report_office}


def may_make_transition(user, report, transition: Transition) -> bool:
    return any(actor in _ACTORS and _ACTORS[actor].test(user, report) for actor in transition.actors)


def leads_panel_of(user, application) -> bool:
    """May start the application's report: its panel leader."""
    from .models import FeedbackReport  # noqa: PLC0415 -- rules load before the apps' models

    return is_report_leader.test(user, FeedbackReport(application=application))


def may_start_report(user, application) -> bool:
    """May start the application's report: its panel leader or the award office."""
    return leads_panel_of(user, application) or rules.has_perm("feedback.manage_reports", user, application)

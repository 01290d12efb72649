"""The enterprise's dashboard section: status timeline, what to do next, the award office's messages."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dashboard import Section

from . import selectors
from .enums import ApplicationStatus, StageKind
from .selectors import ACTIVE_CYCLE_STATUSES

NEXT_STEPS = {
    ApplicationStatus.DRAFT: gettext_lazy("Complete every section and submit before the deadline (%(deadline)s)."),
    ApplicationStatus.SUBMITTED: gettext_lazy(
        "Nothing to do for now: the award office is checking eligibility and completeness."
    ),
    ApplicationStatus.RETURNED: gettext_lazy(
        "Revise the sections the award office commented on and resubmit by %(deadline)s."
    ),
    ApplicationStatus.RECOMMENDED: gettext_lazy(
        "Your district has recommended the application; the award office is checking eligibility and completeness."
    ),
    ApplicationStatus.ELIGIBLE: gettext_lazy(
        "Your application is eligible; the experts will review the material next."
    ),
    ApplicationStatus.INELIGIBLE: gettext_lazy(
        "Your application does not meet this cycle's conditions; the reason is below."
    ),
    ApplicationStatus.WITHDRAWN: gettext_lazy("Your application was withdrawn."),
}


def applicant_sections(request) -> list[Section]:
    user = request.user
    apps = list(
        selectors.applications_of_user_enterprises(user)
        .filter(cycle__status__in=ACTIVE_CYCLE_STATUSES)
        .prefetch_related("transitions__section_comments")
    )
    out = []
    for app in apps:
        deadline = app.submission_deadline
        step = NEXT_STEPS.get(app.status, _("The review is in progress; you will be told by e-mail."))
        if app.status == ApplicationStatus.SUBMITTED and StageKind.RECOMMENDATION in app.cycle.stage_kinds():
            step = _("Nothing to do for now: your district's recommending body is checking the application.")
        history = sorted(app.transitions.all(), key=lambda t: (t.at, t.pk))
        office = [
            t
            for t in reversed(history)
            if t.to_status
            in (
                ApplicationStatus.RETURNED,
                ApplicationStatus.ELIGIBLE,
                ApplicationStatus.INELIGIBLE,
                ApplicationStatus.NOT_APPROVED,
                ApplicationStatus.REVOKED,
            )
        ]
        out.append(
            Section(
                "awards/_dashboard_applicant.html",
                {
                    "application": app,
                    "next_step": step % {"deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")},
                    "history": history,
                    "messages_office": office,
                },
            )
        )
    return out

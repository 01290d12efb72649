"""Committee fixtures: nominated candidates reached through the workflow, a committee, meetings."""

import datetime as dt

from django.utils import timezone

from awards.enums import ApplicationStatus, CycleRole
from awards.services import application_transition

from .awards import ApplicationFactory, CycleMembershipFactory
from .core import UserFactory

PATH_TO_NOMINATED = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.MATERIAL_REVIEW,
    ApplicationStatus.ONSITE_REVIEW,
    ApplicationStatus.NOMINATED,
]


def nominated_application(cycle, **kwargs):
    app = ApplicationFactory(cycle=cycle, **kwargs)
    for step in PATH_TO_NOMINATED:
        app = application_transition(application=app, to_status=step, by=None, system=True)
    return app


def committee_of(cycle, n=7, existing=()):
    """`n` committee members in total for the cycle (counting `existing` users already members)."""
    users = list(existing)
    for i in range(len(users), n):
        users.append(
            CycleMembershipFactory(
                cycle=cycle,
                role=CycleRole.COMMITTEE,
                user=UserFactory(email=f"cm{cycle.pk}-{i}@committee.example.cn", full_name=f"委员{i}"),
                unit=f"市直部门{i}",
                is_chair=(i == 0 and not existing),
            ).user
        )
    return users


def schedule(cycle, secretary, **kwargs):
    from committee.services import meeting_schedule

    return meeting_schedule(
        cycle=cycle,
        by=secretary,
        starts_at=kwargs.pop("starts_at", timezone.now() + dt.timedelta(days=3)),
        place=kwargs.pop("place", "市政府第一会议室"),
        **kwargs,
    )

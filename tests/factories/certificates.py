"""Awarded applications (reached through the workflow service) and their certificates."""

from awards.enums import ApplicationStatus
from awards.services import application_transition

from .awards import ApplicationFactory


def awarded_application(*, cycle, enterprise=None, level_code: str = "mayor"):
    """An application of `cycle` moved from public notice to awarded by the workflow service."""
    kwargs = {"cycle": cycle, "status": ApplicationStatus.PUBLIC_NOTICE}
    if enterprise is not None:
        kwargs["enterprise"] = enterprise
    application = ApplicationFactory(**kwargs)
    level = cycle.levels.get(code=level_code)
    return application_transition(
        application=application,
        to_status=ApplicationStatus.AWARDED,
        by=None,
        system=True,
        # The level and its names as the committee decided them (see committee.services.decided_level_fields).
        extra_fields={"award_level": level, "record_level_zh": level.name_zh, "record_level_en": level.name_en},
    )


def issued_certificate(*, cycle, enterprise=None, level_code: str = "mayor"):
    """A pending certificate (not rendered) for a freshly awarded application."""
    from certificates.models import Certificate
    from certificates.services import certificates_issue_for_cycle

    application = awarded_application(cycle=cycle, enterprise=enterprise, level_code=level_code)
    certificates_issue_for_cycle(cycle=cycle, by=None, system=True)
    return Certificate.objects.get(application=application)

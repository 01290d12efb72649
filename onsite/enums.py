from django.db import models
from django.utils.translation import gettext_lazy as _


class IssueKind(models.TextChoices):
    """What the team must do on site about an item the material review flagged."""

    VERIFY = "verify", _("Verify")
    CLARIFY = "clarify", _("Clarify")


class VisitStatus(models.TextChoices):
    PLANNING = "planning", _("Being planned")
    CLOSED = "closed", _("Closed")


class PlanEntryKind(models.TextChoices):
    AGENDA = "agenda", _("Agenda")
    SITE = "site", _("Site")
    INTERVIEWEE = "interviewee", _("Interviewee")


class LogKind(models.TextChoices):
    DOCUMENT = "document", _("Document seen")
    INTERVIEW = "interview", _("Interview held")


class Finding(models.TextChoices):
    """The team's agreed finding on one item after the visit."""

    CONFIRMED = "confirmed", _("Confirmed as described")
    PARTLY = "partly", _("Partly confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")

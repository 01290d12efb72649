from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("In session")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class BallotStatus(models.TextChoices):
    PENDING = "pending", _("Not yet open")
    OPEN = "open", _("Open for voting")
    CLOSED = "closed", _("Closed")


class VoteChoice(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    ABSTAIN = "abstain", _("Abstain")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DISMISSED = "dismissed", _("Dismissed")
    UPHELD_RETURNED = "upheld_returned", _("Upheld: back to the committee")
    UPHELD_WITHDRAWN = "upheld_withdrawn", _("Upheld: proposal withdrawn")

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Recording")
    CLOSED = "closed", _("Closed")


class InvitationResponse(models.TextChoices):
    PENDING = "pending", _("Not answered yet")
    CONFIRMED = "confirmed", _("Confirmed")
    RESCHEDULE = "reschedule", _("Asked to reschedule")

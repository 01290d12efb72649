from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.TextChoices):
    APPLICATION = "application", _("Printable application")
    RECEIPT = "receipt", _("Acceptance receipt")


class PrintStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be rendered")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")

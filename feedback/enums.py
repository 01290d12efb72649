from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("feedback report", "Draft (panel leader)")
    REVIEW = "review", pgettext_lazy("feedback report", "In review (award office)")
    APPROVED = "approved", pgettext_lazy("feedback report", "Approved, waiting for release")
    RELEASED = "released", pgettext_lazy("feedback report", "Released")
    SUPERSEDED = "superseded", pgettext_lazy("feedback report", "Superseded by a corrected version")


class ReportActor(models.TextChoices):
    LEADER = "leader", _("panel leader")
    OFFICE = "office", _("award office")
    SYSTEM = "system", _("the system (on the release date)")


class Quartile(models.IntegerChoices):
    TOP = 1, _("top quarter of the cohort")
    SECOND = 2, _("second quarter of the cohort")
    THIRD = 3, _("third quarter of the cohort")
    BOTTOM = 4, _("bottom quarter of the cohort")

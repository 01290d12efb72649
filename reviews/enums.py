from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundKind(models.TextChoices):
    MATERIAL = "material", _("Material review")
    ONSITE = "onsite", _("On-site review")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("Conflict not yet declared")
    ACCEPTED = "accepted", _("No conflict declared")
    CONFLICT = "conflict", _("Conflict declared (released)")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class CellStatus(models.TextChoices):
    """What the secretary's matrix shows for one expert and one application."""

    NOT_DECLARED = "not_declared", _("Not declared")
    CONFLICT = "conflict", _("Conflict")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    OVERDUE = "overdue", _("Overdue")


class RaterRole(models.TextChoices):
    LEADER = "leader", _("Panel leader")
    OFFICE = "office", _("Award office")


# The scale of an expert's rating: 1 (poor) to 5 (excellent).
RATING_CHOICES = [
    (1, _("1 · poor")),
    (2, _("2 · fair")),
    (3, _("3 · good")),
    (4, _("4 · very good")),
    (5, _("5 · excellent")),
]


class RankingBasis(models.TextChoices):
    """Which score the ranking sorts by: one round's panel score, or both rounds' weighted."""

    MATERIAL = "material", _("Material review")
    ONSITE = "onsite", _("On-site review")
    COMBINED = "combined", _("Combined")

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.enums import OpinionAnswer, RecommendationDecision, RecordCategory


def _scan_path(instance, _filename: str) -> str:
    return f"recommendations/{instance.application_id}/{uuid.uuid4().hex}"


class Recommendation(models.Model):
    """推荐意见: a recommending body's decision on one submitted version, kept as made."""

    application = models.ForeignKey(
        "awards.Application", verbose_name=_("application"), on_delete=models.PROTECT, related_name="recommendations"
    )
    snapshot = models.ForeignKey(
        "awards.ApplicationSnapshot",
        verbose_name=_("submitted version seen"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    decision = models.CharField(_("decision"), max_length=20, choices=RecommendationDecision.choices)
    opinion = models.TextField(_("opinion"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="recommendations_made"
    )
    # The body as it was when it decided (a membership may change later).
    unit = models.CharField(_("recommending body"), max_length=200, blank=True)
    district = models.CharField(_("district or county"), max_length=6)
    decided_at = models.DateTimeField(_("decided"))
    scan = models.FileField(_("signed scan"), upload_to=_scan_path, max_length=200, blank=True)
    scan_name = models.CharField(_("file name"), max_length=200, blank=True)
    scan_mime = models.CharField(_("type"), max_length=50, blank=True)
    scan_size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    scan_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot"], name="uniq_recommendation_per_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_decision_display()}"


def _evidence_path(instance, _filename: str) -> str:
    return f"opinions/{instance.application_id}/{uuid.uuid4().hex}"


class OpinionRequest(models.Model):
    """征求意见: the office asks one department whether it has a record on the enterprise.

    The answer and whether it disqualified are stored when given, never re-derived from the
    cycle's settings later."""

    application = models.ForeignKey(
        "awards.Application", verbose_name=_("application"), on_delete=models.PROTECT, related_name="opinion_requests"
    )
    department = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="opinion_requests",
    )
    unit = models.CharField(_("department"), max_length=200)
    deadline = models.DateField(_("answer by"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"))
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=OpinionAnswer.choices, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=RecordCategory.choices, blank=True)
    details = models.TextField(_("details"), blank=True)
    disqualifying = models.BooleanField(_("disqualifying"), default=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=_evidence_path, max_length=200, blank=True)
    evidence_name = models.CharField(_("file name"), max_length=200, blank=True)
    evidence_mime = models.CharField(_("type"), max_length=50, blank=True)
    evidence_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("opinion request")
        verbose_name_plural = _("opinion requests")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "department"], name="uniq_opinion_per_department"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.unit}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

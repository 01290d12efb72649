import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.enums import RecommendationDecision


def _scan_path(instance, filename: str) -> str:
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

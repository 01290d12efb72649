"""Feedback reports: what every application that reached expert review gets back (反馈报告)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scopes import scoped_manager

from .enums import Quartile, ReportStatus

TEXT_MAX = 3000  # strengths, opportunities per category
THEMES_MAX = 4000  # key themes, site-visit findings
ACTION_MAX = 2000  # what a returning applicant did about one opportunity
REASON_MAX = 1000


class FeedbackReport(models.Model):
    """One version of an application's feedback report. Changed only through feedback.services."""

    application = models.ForeignKey(
        "awards.Application", verbose_name=_("application"), on_delete=models.PROTECT, related_name="feedback_reports"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    key_themes = models.TextField(_("key themes across categories"), max_length=THEMES_MAX, blank=True)
    site_findings = models.TextField(_("site-visit findings"), max_length=THEMES_MAX, blank=True)
    release_on = models.DateField(_("release date"), null=True, blank=True)
    checked_accurate = models.BooleanField(_("accurate"), default=False)
    checked_actionable = models.BooleanField(_("actionable"), default=False)
    checked_anonymous = models.BooleanField(_("no expert or competitor named"), default=False)
    office_note = models.TextField(_("note from the award office"), max_length=REASON_MAX, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    correction_reason = models.TextField(_("reason for the correction"), max_length=REASON_MAX, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="feedback/", blank=True)
    pdf_size = models.PositiveIntegerField(_("PDF size (bytes)"), null=True, blank=True)
    pdf_rendered_at = models.DateTimeField(_("PDF rendered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager("application__cycle__programme")

    class Meta:
        verbose_name = _("feedback report")
        verbose_name_plural = _("feedback reports")
        ordering = ["application__cycle__year", "application__record_name_zh", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["application", "version"], name="uniq_feedback_version"),
            # At most one version in the works and one released: a correction is drafted beside the
            # released version, which the enterprise keeps reading until the correction replaces it.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["draft", "review", "approved"]),
                name="one_open_feedback_report",
            ),
            models.UniqueConstraint(
                fields=["application"], condition=Q(status="released"), name="one_released_feedback_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.display_name} · v{self.version}"

    @property
    def is_final(self) -> bool:
        return self.status in (ReportStatus.RELEASED, ReportStatus.SUPERSEDED)


class ReportCategory(models.Model):
    """Per GB/T 19580 category: the merged text and the band and quartile stored when approved."""

    report = models.ForeignKey(
        FeedbackReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="categories"
    )
    category = models.ForeignKey(
        "awards.CriteriaCategory", verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    strengths = models.TextField(_("strengths"), max_length=TEXT_MAX, blank=True)
    opportunities = models.TextField(_("opportunities for improvement"), max_length=TEXT_MAX, blank=True)
    percent = models.PositiveSmallIntegerField(_("category percentage (on the scoring step)"), null=True, blank=True)
    band = models.PositiveSmallIntegerField(_("band"), null=True, blank=True)
    quartile = models.PositiveSmallIntegerField(_("quartile"), choices=Quartile.choices, null=True, blank=True)
    cohort = models.PositiveIntegerField(_("applications in the cohort"), null=True, blank=True)
    previous_band = models.PositiveSmallIntegerField(_("band in the previous report"), null=True, blank=True)

    objects = scoped_manager("report__application__cycle__programme")

    class Meta:
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")
        ordering = ["report", "category__order", "category__code"]
        constraints = [models.UniqueConstraint(fields=["report", "category"], name="uniq_report_category")]

    def __str__(self) -> str:
        return f"{self.category.code} · {self.report}"


class OpportunityResponse(models.Model):
    """A returning applicant's answer to one opportunity of its previous report, kept with the new application."""

    application = models.ForeignKey(
        "awards.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="opportunity_responses",
    )
    source = models.ForeignKey(
        ReportCategory, verbose_name=_("previous report's category"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("opportunity number"))
    opportunity = models.TextField(_("opportunity for improvement"))  # as the report said it
    action_taken = models.TextField(_("what was done"), max_length=ACTION_MAX, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager("application__cycle__programme")

    class Meta:
        verbose_name = _("response to an opportunity")
        verbose_name_plural = _("responses to opportunities")
        ordering = ["application", "source__category__order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "source", "number"], name="uniq_opportunity_response")
        ]

    def __str__(self) -> str:
        return f"{self.source.category.code}.{self.number} · {self.application}"

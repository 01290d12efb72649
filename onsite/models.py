"""The on-site review workbench: flags from the material review, the visit, its plan, logs and findings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scopes import scoped_manager

from .enums import Finding, IssueKind, LogKind, PlanEntryKind, VisitStatus


class ItemFlag(models.Model):
    """A material-review expert's flag on one item of their sheet: check it on site (verify / clarify)."""

    assignment = models.ForeignKey(
        "reviews.Assignment", verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="item_flags"
    )
    item = models.ForeignKey("awards.CriteriaItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("to do on site"), max_length=10, choices=IssueKind.choices)
    note = models.TextField(_("what to look at"), max_length=2000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager("assignment__panel__round__cycle__programme")

    class Meta:
        verbose_name = _("item flag")
        verbose_name_plural = _("item flags")
        ordering = ["assignment", "item__category__order", "item__order"]
        constraints = [models.UniqueConstraint(fields=["assignment", "item"], name="uniq_item_flag")]

    def __str__(self) -> str:
        return f"{self.item.code} · {self.get_kind_display()}"


class SiteVisit(models.Model):
    """The on-site review of one shortlisted application; its team is the on-site panel."""

    application = models.OneToOneField(
        "awards.Application", verbose_name=_("application"), on_delete=models.PROTECT, related_name="site_visit"
    )
    panel = models.OneToOneField(
        "reviews.Panel", verbose_name=_("on-site panel"), on_delete=models.PROTECT, related_name="site_visit"
    )
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNING)
    starts_on = models.DateField(_("first day of the visit"), null=True, blank=True)
    ends_on = models.DateField(_("last day of the visit"), null=True, blank=True)
    closing_summary = models.TextField(_("closing-meeting summary"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)

    objects = scoped_manager("application__cycle__programme")

    class Meta:
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="visit_dates_order",
            )
        ]

    def __str__(self) -> str:
        return str(self.application)

    @property
    def is_closed(self) -> bool:
        return self.status == VisitStatus.CLOSED


class VisitIssue(models.Model):
    """One thing to verify or clarify on site, about one item; carried over from a flag or added by the team."""

    visit = models.ForeignKey(SiteVisit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="issues")
    item = models.ForeignKey("awards.CriteriaItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("to do on site"), max_length=10, choices=IssueKind.choices)
    text = models.TextField(_("issue"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    source_flag = models.OneToOneField(
        ItemFlag,
        verbose_name=_("material-review flag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issue",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = scoped_manager("visit__application__cycle__programme")

    class Meta:
        verbose_name = _("site-visit issue")
        verbose_name_plural = _("site-visit issues")
        ordering = ["visit", "item__category__order", "item__order", "pk"]

    def __str__(self) -> str:
        return f"{self.item.code} · {self.get_kind_display()}"


class PlanEntry(models.Model):
    """One line of the visit plan: an agenda slot, a site to walk, a person to interview."""

    visit = models.ForeignKey(SiteVisit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="plan")
    kind = models.CharField(_("kind"), max_length=12, choices=PlanEntryKind.choices)
    starts_at = models.DateTimeField(_("time"), null=True, blank=True)
    title = models.CharField(_("what"), max_length=200)
    detail = models.CharField(_("where / who"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = scoped_manager("visit__application__cycle__programme")

    class Meta:
        verbose_name = _("visit plan entry")
        verbose_name_plural = _("visit plan entries")
        ordering = ["visit", "kind", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class VisitLog(models.Model):
    """A document seen or an interview held during the visit, against one issue."""

    visit = models.ForeignKey(SiteVisit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="logs")
    issue = models.ForeignKey(VisitIssue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="logs")
    kind = models.CharField(_("kind"), max_length=10, choices=LogKind.choices)
    subject = models.CharField(_("document or person"), max_length=200)
    notes = models.TextField(_("what was found"), max_length=5000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(_("logged"), default=timezone.now)

    objects = scoped_manager("visit__application__cycle__programme")

    class Meta:
        verbose_name = _("visit log")
        verbose_name_plural = _("visit logs")
        ordering = ["visit", "logged_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class LogEvidence(models.Model):
    """A photo or file attached to a log, checked by its content and stored under a generated name."""

    log = models.ForeignKey(VisitLog, verbose_name=_("log"), on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), max_length=200)  # a name from core.uploads.store_upload
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    mime_type = models.CharField(_("type"), max_length=50)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = scoped_manager("log__visit__application__cycle__programme")

    class Meta:
        verbose_name = _("visit evidence")
        verbose_name_plural = _("visit evidence")
        ordering = ["log", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")


class ItemConsensus(models.Model):
    """The team's agreed finding on one item, recorded by the team leader."""

    visit = models.ForeignKey(SiteVisit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey("awards.CriteriaItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    finding = models.CharField(_("finding"), max_length=15, choices=Finding.choices)
    text = models.TextField(_("agreed statement"), max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = scoped_manager("visit__application__cycle__programme")

    class Meta:
        verbose_name = _("item consensus")
        verbose_name_plural = _("item consensus")
        ordering = ["visit", "item__category__order", "item__order"]
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="uniq_visit_item_consensus")]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.get_finding_display()}"

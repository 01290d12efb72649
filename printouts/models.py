"""PDFs of a submitted version: the printable application (for the sealed paper copy) and the acceptance receipt."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scopes import scoped_manager

from .enums import Document, PrintStatus


class Printout(models.Model):
    """One PDF of one submitted version, rendered by the worker. The version never changes, so neither does it."""

    snapshot = models.ForeignKey(
        "awards.ApplicationSnapshot", verbose_name=_("submitted version"), on_delete=models.PROTECT, related_name="+"
    )
    document = models.CharField(_("document"), max_length=12, choices=Document.choices)
    status = models.CharField(_("status"), max_length=10, choices=PrintStatus.choices, default=PrintStatus.PENDING)
    file = models.FileField(_("file"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"), default=0)
    pages = models.PositiveSmallIntegerField(_("pages"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    objects = scoped_manager("snapshot__application__cycle__programme")

    class Meta:
        verbose_name = _("printout")
        verbose_name_plural = _("printouts")
        ordering = ["snapshot", "document"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "document"], name="uniq_printout")]

    def __str__(self) -> str:
        return f"{self.snapshot.receipt_number} · {self.get_document_display()}"

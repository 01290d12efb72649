from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from awards.enums import ApplicationStatus
from core.scopes import scoped_manager

from .enums import CertificateStatus


class CertificateCounter(models.Model):
    """The last serial number given out in a cycle; its row is locked while serials are allocated."""

    cycle = models.OneToOneField(
        "awards.AwardCycle", verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="certificate_counter"
    )
    last_number = models.PositiveIntegerField(_("last serial number"), default=0)

    objects = scoped_manager("cycle__programme")

    class Meta:
        verbose_name = _("certificate counter")
        verbose_name_plural = _("certificate counters")

    def __str__(self) -> str:
        return f"{self.cycle} · {self.last_number}"


class Certificate(models.Model):
    """The award certificate of one awarded application. State changes only via services."""

    application = models.OneToOneField(
        "awards.Application", verbose_name=_("application"), on_delete=models.PROTECT, related_name="certificate"
    )
    cycle = models.ForeignKey(
        "awards.AwardCycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="certificates"
    )
    award_level = models.ForeignKey(
        "awards.AwardLevel", verbose_name=_("award level"), on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.PositiveIntegerField(_("number in the cycle"))
    serial = models.CharField(_("serial number"), max_length=40, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=64, unique=True)
    verification_url = models.URLField(_("verification address"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=CertificateStatus.choices, default=CertificateStatus.PENDING, db_index=True
    )
    # In the media storage (MEDIA_ROOT or the private bucket), never web-served: only the download view streams it.
    file = models.FileField(_("PDF file"), upload_to="certificates/", max_length=200, blank=True)
    checksum = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"), default=0)
    issued_on = models.DateField(_("issue date"))
    # The words the certificate carries, as they were when it was issued: renaming the programme or
    # retitling the cycle later must not rewrite a certificate already given (services.certificate_words).
    award_name_zh = models.CharField(_("award (Chinese)"), max_length=100)
    award_name_en = models.CharField(_("award (English)"), max_length=150)
    award_title_zh = models.CharField(_("award as titled (Chinese)"), max_length=200)
    award_title_en = models.CharField(_("award as titled (English)"), max_length=200)
    issuer_zh = models.CharField(_("issuer (Chinese)"), max_length=100)
    issuer_en = models.CharField(_("issuer (English)"), max_length=150)
    seal_text = models.CharField(_("seal text"), max_length=30)
    signature_zh = models.CharField(_("signature line (Chinese)"), max_length=60)
    signature_en = models.CharField(_("signature line (English)"), max_length=100)
    attempts = models.PositiveIntegerField(_("render attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    claim_token = models.CharField(_("claim token"), max_length=32, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    # Set when an approved change of the enterprise's name had it rendered again (same serial and code).
    reissued_at = models.DateTimeField(_("re-issued at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager("cycle__programme")

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["cycle", "number"]
        constraints = [models.UniqueConstraint(fields=["cycle", "number"], name="uniq_certificate_number")]

    def __str__(self) -> str:
        return self.serial

    @property
    def award_name(self) -> str:
        return self.award_name_en if (get_language() or "").startswith("en") else self.award_name_zh

    @property
    def award_title(self) -> str:
        return self.award_title_en if (get_language() or "").startswith("en") else self.award_title_zh

    @property
    def issuer(self) -> str:
        return self.issuer_en if (get_language() or "").startswith("en") else self.issuer_zh

    @property
    def is_revoked(self) -> bool:
        """Revoked itself, or the award it documents was revoked."""
        return self.status == CertificateStatus.REVOKED or self.application.status == ApplicationStatus.REVOKED

    @property
    def revoked_on(self):
        if self.revoked_at:
            return self.revoked_at
        return self.application.status_changed_at if self.is_revoked else None

    @property
    def is_downloadable(self) -> bool:
        # While a regeneration runs, the previous file stays valid and downloadable; a revoked
        # certificate, or one whose award was revoked (e.g. through the workflow), is not.
        return not self.is_revoked and bool(self.file)

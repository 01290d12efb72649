import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.enums import Language

from . import divisions
from .enums import Industry, InvitationStatus, MemberRole, NameChangeStatus
from .validators import division_code, normalize_credit_code, validate_credit_code


class Enterprise(models.Model):
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    name_zh = models.CharField(
        _("Chinese name"),
        max_length=200,
        blank=True,
        help_text=_("Leave blank only when the registered Chinese name is not confirmed."),
    )
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    # A county-level division code of Hunan (GB/T 2260, enterprises/divisions.py), grouped by city.
    district = models.CharField(_("district or county"), max_length=6, choices=divisions.district_choices)
    industry = models.CharField(_("industry"), max_length=2, choices=Industry.choices)
    founded_on = models.DateField(_("founding date"))
    employees = models.PositiveIntegerField(_("employees"))
    address = models.CharField(_("address"), max_length=300)
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    contact_email = models.EmailField(_("contact e-mail"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="EnterpriseMembership", related_name="enterprises"
    )

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name_zh", "name_en"]
        constraints = [
            # Codes are stored in capitals (see clean_fields/save); this keeps "914310…ab" and "914310…AB" apart.
            models.UniqueConstraint(
                Upper("credit_code"),
                name="uniq_enterprise_credit_code_ci",
                violation_error_message=_("An enterprise with this credit code is already registered."),
            )
        ]

    def __str__(self) -> str:
        # The name in the reader's language where the enterprise gave one (the Chinese name is official).
        if (translation.get_language() or "").startswith("en"):
            return self.name_en or self.name_zh or self.credit_code
        return self.name_zh or self.name_en or self.credit_code

    def save(self, *args, **kwargs):
        self.credit_code = normalize_credit_code(self.credit_code)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # Before validation, so that uniqueness is checked on the stored form (the admin's path too).
        self.credit_code = normalize_credit_code(self.credit_code)
        super().clean_fields(exclude=exclude)

    def get_district_display(self) -> str:
        # The name from the division data in O(1) (Django's version flattens all 122 choices per call).
        return divisions.name(self.district)

    def get_industry_display(self) -> str:
        # O(1) by the enum (Django's version builds a dict of every choice on each call: office lists
        # show one per row).
        try:
            return str(Industry(self.industry).label)
        except ValueError:
            return self.industry

    @property
    def display_name(self) -> str:
        return str(self)

    @property
    def official_name(self) -> str:
        """The registered (Chinese) name, whatever the reader's language: for e-mails and records."""
        return self.name_zh or self.name_en or self.credit_code

    @property
    def division_code(self) -> str:
        return division_code(self.credit_code)


class EnterpriseMembership(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="enterprise_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.EDITOR)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise member")
        verbose_name_plural = _("enterprise members")
        constraints = [models.UniqueConstraint(fields=["enterprise", "user"], name="uniq_enterprise_member")]

    def __str__(self) -> str:
        return f"{self.user} · {self.enterprise} ({self.get_role_display()})"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + INVITATION_LIFETIME


INVITATION_LIFETIME = dt.timedelta(days=7)


class Invitation(models.Model):
    """An owner's invitation for a colleague to join the enterprise, accepted through a link in an e-mail."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.EDITOR)
    language = models.CharField(
        _("language of the e-mail"), max_length=10, choices=Language.choices, default=Language.ZH_HANS
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["enterprise", "email"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.enterprise}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return InvitationStatus(self.status).label


class NameChangeRequest(models.Model):
    """A change of the enterprise's names or credit code while an application is past draft: the
    names of record of a decision change only when the award office approves. State changes only via
    services (name_change_request, name_change_decide)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="name_changes"
    )
    old_name_zh = models.CharField(_("former Chinese name"), max_length=200, blank=True)
    old_name_en = models.CharField(_("former English name"), max_length=200, blank=True)
    old_credit_code = models.CharField(_("former credit code"), max_length=18)
    new_name_zh = models.CharField(_("new Chinese name"), max_length=200, blank=True)
    new_name_en = models.CharField(_("new English name"), max_length=200, blank=True)
    new_credit_code = models.CharField(_("new credit code"), max_length=18, validators=[validate_credit_code])
    reason = models.TextField(_("reason for the change"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=NameChangeStatus.choices, default=NameChangeStatus.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("name change request")
        verbose_name_plural = _("name change requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One open request per enterprise: a second one would race the first's decision.
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(status="pending"),
                name="uniq_pending_name_change",
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_display} → {self.new_display}"

    @staticmethod
    def _display(zh: str, en: str, code: str) -> str:
        if (translation.get_language() or "").startswith("en"):
            return en or zh or code
        return zh or en or code

    @property
    def old_display(self) -> str:
        return self._display(self.old_name_zh, self.old_name_en, self.old_credit_code)

    @property
    def new_display(self) -> str:
        return self._display(self.new_name_zh, self.new_name_en, self.new_credit_code)

    @property
    def old_names(self) -> str:
        """Both former names (and the former code if it changed): what a reader may know it by."""
        parts = [n for n in (self.old_name_zh, self.old_name_en) if n]
        if "credit_code" in self.changed_fields:
            parts.append(self.old_credit_code)
        return " / ".join(parts)

    @property
    def changed_fields(self) -> list[str]:
        return [
            name
            for name in ("name_zh", "name_en", "credit_code")
            if getattr(self, f"old_{name}") != getattr(self, f"new_{name}")
        ]

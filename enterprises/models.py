from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import District, Industry, MemberRole
from .validators import validate_credit_code


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
    district = models.CharField(_("district or county"), max_length=6, choices=District.choices)
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

    def __str__(self) -> str:
        return self.name_zh or self.name_en or self.credit_code

    @property
    def display_name(self) -> str:
        return str(self)


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

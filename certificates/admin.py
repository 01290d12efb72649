from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core.admin_mixins import NoAddDelete
from core.errors import ServiceError

from .models import Certificate, CertificateCounter
from .services import certificate_retry, certificate_revoke


class AdminRevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the revocation"), widget=forms.Textarea)


@admin.register(Certificate)
class CertificateAdmin(NoAddDelete, admin.ModelAdmin):
    """Certificates change only through their services (admin actions below)."""

    list_display = ["serial", "application", "award_level", "status", "issued_on", "attempts", "rendered_at"]
    list_filter = ["status", "cycle", "award_level__code"]
    search_fields = ["serial", "application__record_name_zh", "application__record_name_en"]
    list_select_related = ["application__enterprise", "application__cycle", "award_level"]
    actions = ["retry_render", "revoke"]
    exclude = ["claim_token", "verification_code"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude]

    @admin.action(description=_("Render again (failed certificates)"))
    def retry_render(self, request, queryset):
        done = 0
        for certificate in queryset.select_related("cycle"):
            try:
                certificate_retry(certificate=certificate, by=request.user)
                done += 1
            except (ServiceError, PermissionDenied) as exc:
                self.message_user(request, f"{certificate}: {exc}", messages.ERROR)
        if done:
            self.message_user(request, _("%(n)d certificate(s) queued.") % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Revoke…"))
    def revoke(self, request, queryset):
        form = AdminRevokeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for certificate in queryset.select_related("cycle"):
                try:
                    certificate_revoke(certificate=certificate, by=request.user, reason=form.cleaned_data["reason"])
                    done += 1
                except (ServiceError, PermissionDenied) as exc:
                    self.message_user(request, f"{certificate}: {exc}", messages.ERROR)
            if done:
                self.message_user(request, _("%(n)d certificate(s) revoked.") % {"n": done}, messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/certificates/revoke_form.html",
            {**self.admin_site.each_context(request), "form": form, "queryset": queryset, "opts": self.model._meta},
        )


@admin.register(CertificateCounter)
class CertificateCounterAdmin(NoAddDelete, admin.ModelAdmin):
    list_display = ["cycle", "last_number"]
    search_fields = ["cycle__title_zh", "cycle__title_en"]
    readonly_fields = ["cycle", "last_number"]

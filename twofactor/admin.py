"""An admin action on people: reset two-factor log-in (lost phone and recovery codes), with an audit event.

Added to core's UserAdmin from here so core does not depend on this app."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import UserAdmin

from . import services


@admin.action(description=_("Reset two-factor log-in (they set it up again)"))
def reset_twofactor(modeladmin, request, queryset):
    for user in queryset:
        services.twofactor_reset(user=user, by=request.user)
    modeladmin.message_user(
        request, _("Two-factor log-in reset for %(n)s people.") % {"n": queryset.count()}, messages.SUCCESS
    )


UserAdmin.actions = [*(UserAdmin.actions or []), reset_twofactor]

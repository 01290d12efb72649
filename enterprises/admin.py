from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_mixins import ReadOnly, WithinStaffProgrammes
from core.errors import ServiceError

from . import divisions
from .enums import InvitationStatus
from .models import Enterprise, EnterpriseMembership, Invitation, NameChangeRequest
from .services import invitation_revoke


class CityListFilter(admin.SimpleListFilter):
    """By prefecture-level division (the district filter lists all 122 county-level ones)."""

    title = _("City")
    parameter_name = "city"

    def lookups(self, request, model_admin):
        return divisions.city_choices()

    def queryset(self, request, queryset):
        city = divisions.get(self.value() or "")
        return queryset.filter(district__startswith=city.code[:4]) if city and city.is_prefecture else queryset


class MembershipInline(admin.TabularInline):
    model = EnterpriseMembership
    extra = 0
    autocomplete_fields = ["user"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    can_delete = False
    fields = ["email", "role", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # invitations are sent by the owner, so that the e-mail goes out


@admin.register(Enterprise)
class EnterpriseAdmin(WithinStaffProgrammes, admin.ModelAdmin):
    """The province's register; a programme's staff see the enterprises that applied to it."""

    programme_path = "applications__cycle__programme"
    list_display = ["__str__", "credit_code", "district", "industry", "founded_on", "employees"]
    list_filter = [CityListFilter, "district", "industry"]
    search_fields = ["name_zh", "name_en", "credit_code", "contact_name", "contact_email"]
    inlines = [MembershipInline, InvitationInline]


@admin.register(EnterpriseMembership)
class EnterpriseMembershipAdmin(WithinStaffProgrammes, admin.ModelAdmin):
    programme_path = "enterprise__applications__cycle__programme"
    list_display = ["enterprise", "user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["enterprise__name_zh", "enterprise__name_en", "user__email"]
    autocomplete_fields = ["enterprise", "user"]
    list_select_related = ["enterprise", "user"]


class InvitationStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return InvitationStatus.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        open_ = queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        return {
            "pending": open_.filter(expires_at__gt=now),
            "expired": open_.filter(expires_at__lte=now),
            "accepted": queryset.filter(accepted_at__isnull=False),
            "revoked": queryset.filter(accepted_at__isnull=True, revoked_at__isnull=False),
        }.get(self.value(), queryset)


@admin.register(Invitation)
class InvitationAdmin(WithinStaffProgrammes, admin.ModelAdmin):
    programme_path = "enterprise__applications__cycle__programme"
    list_display = ["email", "enterprise", "role", "status_label", "invited_by", "created_at", "expires_at"]
    list_filter = [InvitationStatusFilter, "role", "language"]
    search_fields = ["email", "enterprise__name_zh", "enterprise__name_en", "enterprise__credit_code"]
    list_select_related = ["enterprise", "invited_by"]
    readonly_fields = [
        "enterprise",
        "email",
        "role",
        "language",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    actions = ["revoke"]

    @admin.display(description=_("status"))
    def status_label(self, obj):
        return obj.get_status_display()

    def has_add_permission(self, request):
        return False  # sent by the enterprise's owner, so that the e-mail and the audit event go out

    @admin.action(description=_("Withdraw the selected invitations"))
    def revoke(self, request, queryset):
        done = 0
        for invitation in queryset.select_related("enterprise"):
            try:
                invitation_revoke(invitation=invitation, by=request.user)
                done += 1
            except ServiceError as exc:
                self.message_user(request, f"{invitation.email}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(n)d invitation(s) withdrawn.") % {"n": done}, messages.SUCCESS)


@admin.register(NameChangeRequest)
class NameChangeRequestAdmin(WithinStaffProgrammes, ReadOnly, admin.ModelAdmin):
    """Read-only: requests are decided on the office's page, so that the names of record, the
    certificates, the audit log and the e-mails follow."""

    programme_path = "enterprise__applications__cycle__programme"

    list_display = ["enterprise", "old_credit_code", "new_credit_code", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["old_name_zh", "old_name_en", "new_name_zh", "new_name_en", "old_credit_code", "new_credit_code"]

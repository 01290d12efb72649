from django.contrib import admin

from .models import ItemFlag, SiteVisit


@admin.register(SiteVisit)
class SiteVisitAdmin(admin.ModelAdmin):
    """Read-only: every change to a visit goes through onsite.services (audited)."""

    list_display = ["application", "status", "starts_on", "ends_on", "closed_at"]
    list_filter = ["status"]
    list_select_related = ["application__enterprise", "application__cycle"]
    readonly_fields = [f.name for f in SiteVisit._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ItemFlag)
class ItemFlagAdmin(admin.ModelAdmin):
    list_display = ["assignment", "item", "kind"]
    list_select_related = ["assignment__expert", "assignment__panel__application__enterprise", "item"]
    readonly_fields = ["assignment", "item", "kind", "note", "updated_at"]

    def has_add_permission(self, request):
        return False

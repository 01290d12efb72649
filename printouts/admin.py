from django.contrib import admin

from .models import Printout


@admin.register(Printout)
class PrintoutAdmin(admin.ModelAdmin):
    list_display = ["snapshot", "document", "status", "pages", "rendered_at"]
    list_filter = ["document", "status"]
    list_select_related = ["snapshot"]
    readonly_fields = [f.name for f in Printout._meta.fields]

    def has_add_permission(self, request):
        return False

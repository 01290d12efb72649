from django.contrib import admin

from .models import FeedbackReport, OpportunityResponse, ReportCategory


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reports change only through feedback.services (audited); the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportCategoryInline(admin.TabularInline):
    model = ReportCategory
    extra = 0
    can_delete = False
    fields = ["category", "percent", "band", "quartile", "cohort", "previous_band", "strengths", "opportunities"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FeedbackReport)
class FeedbackReportAdmin(ReadOnlyAdmin):
    list_display = ["application", "version", "status", "release_on", "released_at"]
    list_filter = ["status", "application__cycle"]
    search_fields = ["application__record_name_zh", "application__record_name_en"]
    list_select_related = ["application"]
    inlines = [ReportCategoryInline]


@admin.register(OpportunityResponse)
class OpportunityResponseAdmin(ReadOnlyAdmin):
    list_display = ["application", "source", "number"]
    list_select_related = ["application", "source__category"]

from django.contrib import admin

from core.admin_mixins import ReadOnly

from .models import OpinionRequest, Recommendation


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnly, admin.ModelAdmin):
    """Decisions as made: read-only (they are written by vetting.services)."""

    list_display = ["application", "decision", "unit", "by", "decided_at"]
    list_filter = ["decision", "application__cycle"]
    list_select_related = ["application__enterprise", "application__cycle", "by"]
    search_fields = ["application__record_name_zh", "application__receipt_number", "unit"]


@admin.register(OpinionRequest)
class OpinionRequestAdmin(ReadOnly, admin.ModelAdmin):
    """Requests and answers as given: read-only (written by vetting.services)."""

    list_display = ["application", "unit", "deadline", "answer", "category", "disqualifying", "answered_at"]
    list_filter = ["answer", "disqualifying", "application__cycle"]
    list_select_related = ["application__enterprise", "application__cycle"]
    search_fields = ["application__record_name_zh", "application__receipt_number", "unit"]

from django.contrib import admin

from core.admin_mixins import ReadOnly

from .models import OpinionRequest, PresentationResult, PresentationScore, PresentationSession, Recommendation


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


@admin.register(PresentationSession)
class PresentationSessionAdmin(ReadOnly, admin.ModelAdmin):
    """Sessions as arranged: read-only (written by vetting.services)."""

    list_display = ["cycle", "starts_at", "place", "is_public", "status"]
    list_filter = ["status", "is_public", "cycle"]
    list_select_related = ["cycle"]


@admin.register(PresentationScore)
class PresentationScoreAdmin(ReadOnly, admin.ModelAdmin):
    """Scores as given, with the scale and weight then in force: read-only."""

    list_display = ["slot", "by", "score", "scale_max", "weight", "given_at"]
    list_select_related = ["slot__application__enterprise", "slot__application__cycle", "slot__session__cycle", "by"]


@admin.register(PresentationResult)
class PresentationResultAdmin(ReadOnly, admin.ModelAdmin):
    """Each application's presentation figure as the services keep it from the scores: read-only."""

    list_display = ["application", "cycle", "n", "fraction", "scale_max", "weight", "updated_at"]
    list_filter = ["cycle"]
    list_select_related = ["application__enterprise", "application__cycle", "cycle"]

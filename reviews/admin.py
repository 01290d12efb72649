from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin_mixins import NoAddDelete, ReadOnly, SelectRelatedInline
from core.errors import ServiceError

from .models import (
    Assignment,
    CategoryFeedback,
    Consensus,
    DeclaredConflict,
    ExpertProfile,
    ExpertRating,
    ItemScore,
    Panel,
    PanelScore,
    PastClient,
    RankingDecision,
    ReviewRound,
    ScoreSheet,
)
from .services import sheet_reopen


class PastClientInline(admin.TabularInline):
    model = PastClient
    extra = 0


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "employer", "employer_credit_code", "district"]
    list_filter = ["district"]
    search_fields = ["user__email", "user__full_name", "employer", "employer_credit_code"]
    inlines = [PastClientInline]


@admin.register(DeclaredConflict)
class DeclaredConflictAdmin(admin.ModelAdmin):
    """A conflict may be recorded here (it only keeps an expert away); never changed or removed."""

    list_display = ["expert", "enterprise", "declared_at"]
    search_fields = ["expert__email", "enterprise__name_zh", "enterprise__name_en"]
    list_select_related = ["expert", "enterprise"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewRound)
class ReviewRoundAdmin(admin.ModelAdmin):
    list_display = ["cycle", "kind", "opens_at", "closes_at"]
    list_filter = ["kind", "cycle"]
    search_fields = ["cycle__title_zh", "cycle__title_en"]


class AssignmentInline(NoAddDelete, SelectRelatedInline, admin.TabularInline):
    """Panels are set on the review pages (panel_set checks conflicts and panel size)."""

    model = Assignment
    list_select_related = ["expert"]
    extra = 0
    fields = ["expert", "is_leader", "status", "declared_at", "conflict_reason"]
    readonly_fields = fields


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["application", "round", "created_at"]
    list_filter = ["round__kind", "round__cycle"]
    search_fields = ["application__record_name_zh", "application__record_name_en"]
    list_select_related = ["application__enterprise", "application__cycle", "round__cycle"]
    # Set on the review pages; a select of every application would also cost a query per option.
    readonly_fields = ["round", "application", "created_at"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["expert", "panel", "is_leader", "status", "declared_at"]
    list_filter = ["status", "is_leader", "panel__round__kind"]
    search_fields = ["expert__email", "panel__application__record_name_zh", "panel__application__record_name_en"]
    readonly_fields = ["status", "declared_at", "conflict_reason"]
    list_select_related = ["expert", "panel__application__enterprise", "panel__round"]


class ItemScoreInline(SelectRelatedInline, admin.TabularInline):
    model = ItemScore
    list_select_related = ["item"]
    extra = 0
    readonly_fields = ["item", "percent"]
    can_delete = False


class FeedbackInline(SelectRelatedInline, admin.StackedInline):
    model = CategoryFeedback
    list_select_related = ["category"]
    extra = 0
    readonly_fields = ["category", "strengths", "opportunities"]
    can_delete = False


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea)


@admin.register(ScoreSheet)
class ScoreSheetAdmin(NoAddDelete, admin.ModelAdmin):
    list_display = ["assignment", "status", "submitted_at", "updated_at"]
    list_filter = ["status", "assignment__panel__round__kind"]
    search_fields = [
        "assignment__expert__email",
        "assignment__panel__application__record_name_zh",
        "assignment__panel__application__record_name_en",
    ]
    readonly_fields = ["status", "submitted_at", "overall_comment", "assignment"]
    inlines = [ItemScoreInline, FeedbackInline]
    actions = ["reopen"]

    @admin.action(description=_("Reopen the selected submitted sheets (reason: “reopened in administration”)"))
    def reopen(self, request, queryset):
        for sheet in queryset.select_related("assignment__panel__round"):
            try:
                sheet_reopen(sheet=sheet, by=request.user, reason=str(_("reopened in administration")))
                self.message_user(request, _("Reopened: %(s)s") % {"s": sheet}, messages.SUCCESS)
            except ServiceError as exc:
                self.message_user(request, f"{sheet}: {exc}", messages.ERROR)


@admin.register(Consensus)
class ConsensusAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["panel", "item", "percent", "recorded_by", "recorded_at"]
    list_filter = ["panel__round__kind"]
    search_fields = ["panel__application__record_name_zh", "panel__application__record_name_en", "rationale"]
    readonly_fields = ["panel", "item", "percent", "rationale", "recorded_by", "recorded_at"]


@admin.register(PanelScore)
class PanelScoreAdmin(ReadOnly, admin.ModelAdmin):
    # Stored by the review services when a sheet or a consensus changes (reviews/panel_scores.py):
    # shown, never edited here; `manage.py refresh_panel_scores` recomputes them.
    list_display = ["panel", "total", "results", "items_scored", "updated_at"]
    list_filter = ["panel__round__kind", "panel__round__cycle"]
    list_select_related = ["panel__application__enterprise", "panel__application__cycle", "panel__round__cycle"]
    search_fields = ["panel__application__record_name_zh", "panel__application__record_name_en"]
    raw_id_fields = ["panel"]
    readonly_fields = ["panel", "total", "results", "categories", "items_scored", "expert_totals", "updated_at"]


@admin.register(PastClient)
class PastClientAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "profile"]
    search_fields = ["name", "credit_code", "profile__user__email"]
    list_select_related = ["profile__user"]


@admin.register(ItemScore)
class ItemScoreAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["sheet", "item", "percent"]
    list_filter = ["sheet__status", "item__category"]
    search_fields = ["sheet__assignment__expert__email", "item__code"]
    list_select_related = [
        "sheet__assignment__expert",
        "sheet__assignment__panel__application__enterprise",
        "sheet__assignment__panel__round__cycle",
        "item",
    ]
    readonly_fields = ["sheet", "item", "percent"]


@admin.register(CategoryFeedback)
class CategoryFeedbackAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["sheet", "category"]
    list_filter = ["category"]
    search_fields = ["strengths", "opportunities", "sheet__assignment__expert__email"]
    list_select_related = ["sheet__assignment__expert", "category"]
    readonly_fields = ["sheet", "category", "strengths", "opportunities"]


@admin.register(ExpertRating)
class ExpertRatingAdmin(ReadOnly, admin.ModelAdmin):
    """Ratings change only through reviews.services.expert_rate (audited)."""

    list_display = ["expert", "round", "rater_role", "rated_by", "timeliness", "comments", "conduct", "rated_at"]
    list_filter = ["rater_role", "round__cycle", "round__kind"]
    search_fields = ["expert__email", "rated_by__email", "note"]
    list_select_related = ["expert", "rated_by", "round__cycle"]
    readonly_fields = [
        "round",
        "expert",
        "rated_by",
        "rater_role",
        "timeliness",
        "comments",
        "conduct",
        "note",
        "rated_at",
    ]


@admin.register(RankingDecision)
class RankingDecisionAdmin(ReadOnly, admin.ModelAdmin):
    """Decisions from the ranking as they were made: read-only (written by reviews.services.ranking_decide)."""

    list_display = [
        "application",
        "kind",
        "rank",
        "panel_score",
        "presentation_weight",
        "score",
        "moved_on",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["kind", "moved_on", "cycle"]
    list_select_related = ["application__enterprise", "application__cycle", "decided_by"]

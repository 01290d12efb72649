from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_mixins import NoAddDelete, ReadOnly, related_rows_link
from core.errors import ServiceError

from .enums import ApplicationStatus, CycleStatus
from .models import (
    Application,
    ApplicationAttachment,
    ApplicationSnapshot,
    ApplicationTransition,
    AwardCycle,
    AwardLevel,
    AwardProgramme,
    CriteriaCategory,
    CriteriaFramework,
    CriteriaItem,
    CycleMembership,
    CycleStage,
    SectionComment,
)
from .services import application_transition, cycle_transition
from .workflow import cycle_targets_from


class _LockedFrameworkMixin:
    """A framework in use by an opened cycle is shown read-only."""

    def _framework_of(self, obj):
        return obj

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._framework_of(obj).is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._framework_of(obj).is_locked:
            return False
        return super().has_delete_permission(request, obj)


class CategoryInline(admin.TabularInline):
    model = CriteriaCategory
    extra = 0
    fields = ["code", "title_zh", "title_en", "kind", "points", "order"]
    show_change_link = True


class ItemInline(admin.TabularInline):
    model = CriteriaItem
    extra = 0
    fields = ["code", "title_zh", "title_en", "kind", "points", "order"]


@admin.register(CriteriaFramework)
class CriteriaFrameworkAdmin(_LockedFrameworkMixin, admin.ModelAdmin):
    list_display = ["code", "title_zh", "title_en", "total_points"]
    search_fields = ["code", "title_zh", "title_en"]
    inlines = [CategoryInline]


@admin.register(CriteriaCategory)
class CriteriaCategoryAdmin(_LockedFrameworkMixin, admin.ModelAdmin):
    list_display = ["code", "title_zh", "title_en", "kind", "points", "framework"]
    list_filter = ["framework", "kind"]
    search_fields = ["code", "title_zh", "title_en"]
    inlines = [ItemInline]

    def _framework_of(self, obj):
        return obj.framework


@admin.register(CriteriaItem)
class CriteriaItemAdmin(_LockedFrameworkMixin, admin.ModelAdmin):
    list_display = ["code", "title_zh", "title_en", "kind", "points", "category"]
    list_filter = ["category__framework", "kind"]
    search_fields = ["code", "title_zh", "title_en"]
    list_select_related = ["category__framework"]

    def _framework_of(self, obj):
        return obj.category.framework


class LevelInline(admin.TabularInline):
    model = AwardLevel
    extra = 0


class AwardCycleAdminForm(forms.ModelForm):
    """The status offers only the moves the cycle table allows; saving makes the move through
    awards.services.cycle_transition (audited), never by writing the field. A new cycle starts in
    preparation."""

    class Meta:
        model = AwardCycle
        fields = "__all__"  # noqa: DJ007 -- the admin's fieldsets choose what is shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" not in self.fields:
            return
        current = self.instance.status if self.instance.pk else CycleStatus.DRAFT
        allowed = [current, *cycle_targets_from(current)] if self.instance.pk else [current]
        self.fields["status"].choices = [(v, label) for v, label in CycleStatus.choices if v in allowed]


@admin.register(AwardProgramme)
class AwardProgrammeAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_zh", "name_en", "organiser_zh", "divisions", "receipt_prefix", "certificate_prefix"]
    search_fields = ["slug", "name_zh", "name_en", "organiser_zh"]
    fieldsets = [
        (None, {"fields": ["slug", "name_zh", "name_en", "organiser_zh", "organiser_en", "divisions"]}),
        (
            _("Papers"),
            {"fields": ["seal_text", "signature_zh", "signature_en", "receipt_prefix", "certificate_prefix"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Numbers already handed out carry the prefix: it stays what they say.
        if obj is not None and obj.cycles.filter(receipts_issued__gt=0).exists():
            fields += ["slug", "receipt_prefix", "certificate_prefix"]
        return fields


@admin.register(AwardCycle)
class AwardCycleAdmin(admin.ModelAdmin):
    form = AwardCycleAdminForm
    list_display = [
        "programme",
        "edition",
        "year",
        "title_zh",
        "status",
        "framework",
        "applications_open_at",
        "applications_close_at",
    ]
    list_filter = ["programme", "status", "framework"]
    list_select_related = ["programme", "framework"]
    search_fields = ["title_zh", "title_en", "year"]
    # Experts, committee members and secretaries grow with the cycle: a link to their list (with
    # its autocomplete), not an inline of one autocomplete widget (and one query) per person.
    inlines = [LevelInline]
    readonly_fields = ["members", "stages_link"]
    members = related_rows_link(CycleMembership, "cycle", _("cycle roles"))

    def save_model(self, request, obj, form, change):
        target = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        if change and target != obj.status:
            try:
                cycle_transition(cycle=obj, to=target, by=request.user, reason="admin")
            except (ServiceError, PermissionDenied) as exc:
                self.message_user(request, f"{obj}: {exc}", messages.ERROR)

    @admin.display(description=_("stages and their windows"))
    def stages_link(self, obj):
        # The stages are configured on the office's page, which checks that they can work.
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("awards:stages", args=[obj.pk]), _("Configure the stages"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Secret or roll-call is fixed once a ballot has opened: its votes were recorded one way.
        if obj is not None and obj.meetings.filter(ballots__opened_at__isnull=False).exists():
            fields.append("secret_ballot")
        # Once opened, its applications belong to the programme they were made to.
        if obj is not None and obj.pk and obj.status != CycleStatus.DRAFT:
            fields.append("programme")
        return fields

    fieldsets = [
        (
            None,
            {"fields": ["programme", "edition", "year", "title_zh", "title_en", "framework", "status", "members"]},
        ),
        (
            _("Timeline"),
            {
                "fields": [
                    "applications_open_at",
                    "applications_close_at",
                    "stages_link",
                ]
            },
        ),
        (
            _("Eligibility"),
            {
                "fields": [
                    "require_local_registration",
                    "local_division_prefix",
                    "min_years_in_operation",
                    "min_years_excellence_practice",
                    "incident_free_years",
                    "cooling_off_years",
                ]
            },
        ),
        (
            _("Review"),
            {
                "fields": [
                    "experts_per_panel",
                    "dispersion_threshold",
                    "material_weight",
                    "onsite_weight",
                    "presentation_scale_max",
                    "presentation_weight",
                ]
            },
        ),
        (
            _("Committee and public notice"),
            {
                "fields": [
                    "quorum_numerator",
                    "quorum_denominator",
                    "pass_numerator",
                    "pass_denominator",
                    "pass_base",
                    "secret_ballot",
                    "public_notice_days",
                    "public_notice_day_count",
                    "min_notice_days",
                ]
            },
        ),
    ]


@admin.register(CycleMembership)
class CycleMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "cycle", "role", "unit", "is_chair"]
    list_filter = ["cycle", "role"]
    search_fields = ["user__email", "user__full_name", "unit"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "cycle"]


class TransitionInline(admin.TabularInline):
    model = ApplicationTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


class SnapshotInline(admin.TabularInline):
    """Submitted versions: read-only, never changed or deleted."""

    model = ApplicationSnapshot
    extra = 0
    can_delete = False
    fields = ["number", "receipt_number", "created_at", "submitted_by"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = ApplicationAttachment
    extra = 0
    can_delete = False
    fields = [
        "kind",
        "declaration",
        "download",
        "size",
        "mime_type",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "removed_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("awards:attachment", args=[obj.application_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=ApplicationStatus.choices)
    comment = forms.CharField(label=_("Reason or comment"), widget=forms.Textarea, required=False)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "enterprise",
        "cycle",
        "status",
        "receipt_number",
        "submitted_at",
        "award_level",
        "status_changed_at",
    ]
    list_filter = ["cycle", "status", "enterprise__district", "enterprise__industry"]
    # The names and code of record (what it was submitted and decided under); a draft has only the live profile's.
    search_fields = [
        "record_name_zh",
        "record_name_en",
        "record_credit_code",
        "receipt_number",
        "enterprise__name_zh",
        "enterprise__name_en",
    ]
    list_select_related = ["enterprise", "cycle", "award_level"]
    readonly_fields = [
        "status",
        "version",
        "receipt_number",
        "submitted_at",
        "status_changed_at",
        "award_level",
        "resubmit_by",
        "basic_info",
        "declarations",
        "self_assessment",
        "key_results",
        "commitment",
        "basic_info_version",
        "declarations_version",
        "self_assessment_version",
        "key_results_version",
        "commitment_version",
    ]
    autocomplete_fields = ["enterprise"]
    inlines = [TransitionInline, AttachmentInline, SnapshotInline]
    actions = ["change_status"]

    def get_readonly_fields(self, request, obj=None):
        # Enterprise and cycle are fixed once the application exists.
        return [*self.readonly_fields, "enterprise", "cycle"] if obj else self.readonly_fields

    @admin.action(description=_("Change status (through the workflow)…"))
    def change_status(self, request, queryset):
        form = StatusChangeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for app in queryset.select_related("enterprise", "cycle"):
                try:
                    application_transition(
                        application=app,
                        to_status=form.cleaned_data["to_status"],
                        by=request.user,
                        comment=form.cleaned_data["comment"],
                    )
                    done += 1
                except (ServiceError, PermissionDenied) as exc:
                    self.message_user(request, f"{app}: {exc}", messages.ERROR)
            if done:
                self.message_user(request, _("%(n)d application(s) changed.") % {"n": done}, messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/awards/transition_form.html",
            {**self.admin_site.each_context(request), "form": form, "queryset": queryset, "opts": self.model._meta},
        )


@admin.register(AwardLevel)
class AwardLevelAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "cycle", "rank", "quota", "prize_amount"]
    list_filter = ["cycle"]
    search_fields = ["name_zh", "name_en"]
    list_select_related = ["cycle"]


@admin.register(ApplicationTransition)
class ApplicationTransitionAdmin(ReadOnly, admin.ModelAdmin):
    """The history is written by the workflow service only."""

    list_display = ["application", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status", "application__cycle"]
    search_fields = ["application__record_name_zh", "application__record_name_en", "comment"]
    list_select_related = ["application__enterprise", "application__cycle", "by"]
    readonly_fields = ["application", "from_status", "to_status", "by", "at", "comment"]


@admin.register(ApplicationSnapshot)
class ApplicationSnapshotAdmin(admin.ModelAdmin):
    """What the enterprise submitted, exactly; nobody edits or deletes it."""

    list_display = ["receipt_number", "number", "application", "created_at", "submitted_by"]
    list_filter = ["application__cycle"]
    search_fields = ["receipt_number", "application__record_name_zh", "application__record_name_en"]
    list_select_related = ["application__enterprise", "application__cycle", "submitted_by"]
    readonly_fields = ["application", "number", "receipt_number", "created_at", "submitted_by", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApplicationAttachment)
class ApplicationAttachmentAdmin(NoAddDelete, admin.ModelAdmin):
    """Evidence files; added and removed by the enterprise through its application pages."""

    list_display = ["original_name", "kind", "application", "size", "mime_type", "uploaded_at", "removed_at"]
    list_filter = ["kind", "mime_type", "application__cycle"]
    search_fields = ["original_name", "sha256", "application__record_name_zh"]
    list_select_related = ["application__enterprise", "application__cycle"]
    readonly_fields = [
        "application",
        "kind",
        "declaration",
        "file",
        "original_name",
        "size",
        "mime_type",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "removed_at",
    ]


class SectionCommentInline(admin.TabularInline):
    model = SectionComment
    extra = 0
    can_delete = False
    readonly_fields = ["section", "text"]

    def has_add_permission(self, request, obj=None):
        return False


ApplicationTransitionAdmin.inlines = [SectionCommentInline]


@admin.register(SectionComment)
class SectionCommentAdmin(ReadOnly, admin.ModelAdmin):
    """The award office's per-section comments on a return; written by the decision service."""

    list_display = ["section", "text", "transition"]
    list_filter = ["section"]
    search_fields = ["text", "transition__application__record_name_zh"]
    list_select_related = ["transition__application__enterprise", "transition__application__cycle"]
    readonly_fields = ["transition", "section", "text"]


@admin.register(CycleStage)
class CycleStageAdmin(ReadOnly, admin.ModelAdmin):
    """Read-only here: a configuration is checked as a whole on the office's stages page."""

    list_display = ["cycle", "order", "kind", "starts_on", "ends_on", "length", "day_count"]
    list_filter = ["cycle", "kind"]
    list_select_related = ["cycle"]

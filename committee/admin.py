from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from awards.models import Application
from core.admin_mixins import NoAddDelete, ReadOnly, SelectRelatedInline, related_rows_link
from core.errors import ServiceError

from . import services
from .enums import BallotStatus, MeetingStatus
from .models import (
    Attendance,
    AttendanceEvent,
    Ballot,
    BallotVoter,
    GovernmentApproval,
    Meeting,
    NoticePeriodChange,
    Objection,
    PublicNotice,
    Recusal,
    Remark,
    ScheduleChange,
    SecretChoice,
    Vote,
)


def _each(modeladmin, request, queryset, fn, done):
    ok = 0
    for obj in queryset:
        try:
            fn(obj)
            ok += 1
        except ServiceError as e:
            modeladmin.message_user(request, f"{obj}: {e.message}", messages.ERROR)
    if ok:
        modeladmin.message_user(request, done % {"n": ok}, messages.SUCCESS)


class AttendanceInline(SelectRelatedInline, admin.TabularInline):
    model = Attendance
    list_select_related = ["member"]
    extra = 0
    readonly_fields = ["member", "present", "recorded_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["cycle", "starts_at", "place", "status", "invited_at", "closed_at"]
    list_filter = ["status", "cycle"]
    search_fields = ["place", "cycle__title_zh", "cycle__title_en"]
    readonly_fields = [
        "status",
        "invited_at",
        "opened_at",
        "closed_at",
        "minutes_pdf",
        "minutes_rendered_at",
        "report_pdf",
        "report_rendered_at",
        "created_by",
        "created_at",
        "ballots",
        "remarks",
    ]
    # The agenda and the remarks grow with the candidates: links to their lists, not inlines.
    inlines = [AttendanceInline]
    ballots = related_rows_link(Ballot, "meeting", _("ballots"))
    remarks = related_rows_link(Remark, "meeting", _("remarks"))
    actions = ["invite", "open_meeting", "close_meeting"]

    def has_add_permission(self, request):
        return False  # meetings are scheduled from the committee pages, which build the agenda

    @admin.action(description=_("Invite the members by e-mail"))
    def invite(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda m: services.meeting_invite(meeting=m, by=request.user),
            _("%(n)s meeting(s): invitations sent."),
        )

    @admin.action(description=_("Open the meeting"))
    def open_meeting(self, request, queryset):
        _each(
            self,
            request,
            queryset.filter(status=MeetingStatus.SCHEDULED),
            lambda m: services.meeting_open(meeting=m, by=request.user),
            _("%(n)s meeting(s) opened."),
        )

    @admin.action(description=_("Close the meeting"))
    def close_meeting(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda m: services.meeting_close(meeting=m, by=request.user),
            _("%(n)s meeting(s) closed."),
        )


class VoteInline(SelectRelatedInline, admin.TabularInline):
    model = Vote
    list_select_related = ["member"]
    extra = 0
    readonly_fields = ["member", "choice", "cast_at", "changed_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class VoterInline(SelectRelatedInline, admin.TabularInline):
    model = BallotVoter
    list_select_related = ["member"]
    extra = 0
    readonly_fields = ["member"]
    can_delete = False
    verbose_name_plural = _("members who voted (not how)")

    def has_add_permission(self, request, obj=None):
        return False


class RecusalInline(SelectRelatedInline, admin.TabularInline):
    model = Recusal
    list_select_related = ["member"]
    extra = 0
    readonly_fields = ["member", "reason", "recorded_by", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ballot)
class BallotAdmin(NoAddDelete, admin.ModelAdmin):
    list_display = [
        "application",
        "meeting",
        "rank",
        "status",
        "approvals",
        "rejections",
        "abstentions",
        "passed",
        "award_level",
    ]
    list_filter = ["status", "passed", "meeting__cycle"]
    search_fields = ["application__record_name_zh", "application__record_name_en"]
    list_select_related = ["application__enterprise", "application__cycle", "meeting__cycle", "award_level"]
    readonly_fields = [
        "meeting",
        "application",
        "rank",
        "tie_order",
        "status",
        "opened_at",
        "closed_at",
        "members",
        "present",
        "recused",
        "approvals",
        "rejections",
        "abstentions",
        "passed",
        "award_level",
        "level_quota",
        "secret",
        "pass_base",
        "pass_numerator",
        "pass_denominator",
        "eligible",
        "voted",
        "base",
        "roll",
    ]
    # Under secret ballot there are no Vote rows: the page shows who voted and the counts, never who chose what.
    inlines = [RecusalInline, VoterInline, VoteInline]
    actions = ["open_ballot", "close_ballot"]

    @admin.action(description=_("Open the ballot"))
    def open_ballot(self, request, queryset):
        _each(
            self,
            request,
            queryset.filter(status=BallotStatus.PENDING),
            lambda b: services.ballot_open(ballot=b, by=request.user),
            _("%(n)s ballot(s) opened."),
        )

    @admin.action(description=_("Close the ballot"))
    def close_ballot(self, request, queryset):
        _each(
            self,
            request,
            queryset.filter(status=BallotStatus.OPEN),
            lambda b: services.ballot_close(ballot=b, by=request.user),
            _("%(n)s ballot(s) closed."),
        )


class _ReadOnly(ReadOnly, admin.ModelAdmin):
    pass


@admin.register(Vote)
class VoteAdmin(_ReadOnly):
    list_display = ["ballot", "member", "choice", "cast_at", "changed_at"]
    list_filter = ["choice", "ballot__meeting__cycle"]
    search_fields = ["member__email", "ballot__application__record_name_zh", "ballot__application__record_name_en"]
    list_select_related = ["ballot__application__enterprise", "ballot__meeting__cycle", "member"]


@admin.register(BallotVoter)
class BallotVoterAdmin(_ReadOnly):
    list_display = ["ballot", "member"]
    list_filter = ["ballot__meeting__cycle"]
    search_fields = ["member__email", "member__full_name"]
    list_select_related = ["ballot__application__enterprise", "ballot__meeting__cycle", "member"]


@admin.register(SecretChoice)
class SecretChoiceAdmin(_ReadOnly):
    """Anonymous choices, for closed ballots only (an open ballot's choices would show a running count)."""

    list_display = ["ballot", "choice"]
    list_filter = ["choice", "ballot__meeting__cycle"]
    list_select_related = ["ballot__application__enterprise", "ballot__meeting__cycle"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(ballot__status=BallotStatus.CLOSED)


@admin.register(AttendanceEvent)
class AttendanceEventAdmin(_ReadOnly):
    list_display = ["meeting", "member", "present", "at", "recorded_by"]
    list_filter = ["present", "meeting__cycle"]
    search_fields = ["member__email", "member__full_name"]


@admin.register(ScheduleChange)
class ScheduleChangeAdmin(_ReadOnly):
    list_display = ["meeting", "starts_at_before", "starts_at_after", "place_after", "reason", "changed_by"]
    list_filter = ["meeting__cycle"]


@admin.register(NoticePeriodChange)
class NoticePeriodChangeAdmin(_ReadOnly):
    list_display = ["notice", "ends_on_before", "ends_on_after", "reason", "changed_by", "changed_at"]
    list_filter = ["notice__cycle"]


@admin.register(Attendance)
class AttendanceAdmin(_ReadOnly):
    list_display = ["meeting", "member", "present", "recorded_at"]
    list_filter = ["present", "meeting__cycle"]
    search_fields = ["member__email", "member__full_name"]


@admin.register(Recusal)
class RecusalAdmin(_ReadOnly):
    list_display = ["ballot", "member", "reason", "recorded_by", "created_at"]
    list_filter = ["ballot__meeting__cycle"]
    search_fields = ["member__email", "reason"]


@admin.register(Remark)
class RemarkAdmin(_ReadOnly):
    list_display = ["meeting", "member", "application", "text", "created_at"]
    list_filter = ["meeting__cycle"]
    search_fields = ["text"]
    list_select_related = ["meeting__cycle", "member", "application__enterprise", "application__cycle"]


@admin.register(PublicNotice)
class PublicNoticeAdmin(_ReadOnly):
    list_display = ["cycle", "starts_on", "ends_on", "published_by", "published_at"]
    list_filter = ["cycle"]
    search_fields = ["cycle__title_zh", "cycle__title_en"]
    # Candidates and objections: links to their lists (an inline or a list of names grows with them).
    exclude = ["applications"]
    readonly_fields = ["candidates", "objections"]
    candidates = related_rows_link(Application, "notices", _("proposed winners"))
    objections = related_rows_link(Objection, "notice", _("objections"))


@admin.register(Objection)
class ObjectionAdmin(NoAddDelete, admin.ModelAdmin):
    # Lodged on the public notice page, handled on the committee pages; an open objection blocks the
    # confirmation of winners, so none is ever removed here.
    list_display = ["application", "name", "contact", "status", "created_at", "handled_at"]
    list_filter = ["status", "notice__cycle"]
    search_fields = ["name", "contact", "reasons", "application__record_name_zh", "application__record_name_en"]
    list_select_related = ["application__enterprise", "application__cycle"]
    readonly_fields = [
        "notice",
        "application",
        "name",
        "contact",
        "reasons",
        "evidence",
        "ip_address",
        "status",
        "reply",
        "handled_by",
        "handled_at",
        "created_at",
    ]


@admin.register(GovernmentApproval)
class GovernmentApprovalAdmin(_ReadOnly):
    list_display = ["cycle", "decree_number", "decree_date", "recorded_by", "recorded_at"]
    search_fields = ["decree_number"]

"""Reads for cycles and applications. Lists are filtered by role here, so nothing leaks."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, Max, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core import workdays
from core.models import User
from core.scopes import every_programme
from enterprises.models import Enterprise, EnterpriseMembership

from . import sections
from .enums import Actor, ApplicationStatus, CycleRole, CycleStatus
from .models import (
    Application,
    ApplicationAttachment,
    ApplicationTransition,
    AwardCycle,
    AwardProgramme,
    CycleMembership,
    CycleStage,
)
from .workflow import transition_for, transitions_for

ACTIVE_CYCLE_STATUSES = (
    CycleStatus.OPEN,
    CycleStatus.REVIEWING,
    CycleStatus.DELIBERATION,
    CycleStatus.PUBLIC_NOTICE,
)


# A programme's own row (names, organiser, divisions, seal and signature lines) is public: its pages
# and the province's index show it to anyone. These read it in every programme's scope, so a page of
# one programme's office may name another (an enterprise's page says which programmes admit it).


def programme_default() -> AwardProgramme:
    """The programme the site's root pages show (settings.DEFAULT_PROGRAMME; Chenzhou's)."""
    with every_programme():
        return get_object_or_404(AwardProgramme, slug=settings.DEFAULT_PROGRAMME)


def programme_public(slug: str | None) -> AwardProgramme:
    """The programme whose public pages live under /<slug>/ (the default one for the root), or 404."""
    if slug is None:
        return programme_default()
    with every_programme():
        return get_object_or_404(AwardProgramme, slug=slug)


def programmes_all() -> list[AwardProgramme]:
    """Every programme of the site, by address."""
    with every_programme():
        return list(AwardProgramme.objects.order_by("slug"))


def programmes_listed() -> list[AwardProgramme]:
    """Every programme with its latest opened cycle (for the province's index page)."""
    latest = AwardCycle.objects.exclude(status=CycleStatus.DRAFT).order_by("-year")
    return list(
        AwardProgramme.objects.prefetch_related(Prefetch("cycles", queryset=latest, to_attr="shown_cycles")).order_by(
            "slug"
        )
    )


def cycle_current(programme: AwardProgramme | None = None) -> AwardCycle | None:
    """The cycle the public cares about now: the latest active one, else the latest at all, of the
    programme (the default one when None)."""
    programme = programme or programme_default()
    qs = (
        AwardCycle.objects.filter(programme=programme)
        .select_related("framework", "programme")
        .prefetch_related("levels", "stages")
    )
    return (
        qs.filter(status__in=ACTIVE_CYCLE_STATUSES).order_by("-year").first()
        or qs.exclude(status=CycleStatus.DRAFT).order_by("-year").first()
    )


def winners_by_year(
    *, years: int | None = None, programme: AwardProgramme | None = None
) -> OrderedDict[int, list[Application]]:
    """A programme's awarded applications (the default one's when None) grouped by award year (newest
    first), highest level first; with `years`, only the latest that many award years (the home page),
    so the page grows with winners shown."""
    programme = programme or programme_default()
    rows = Application.objects.filter(status=ApplicationStatus.AWARDED, cycle__programme=programme)
    if years is not None:
        latest = list(rows.order_by("-cycle__year").values_list("cycle__year", flat=True).distinct()[:years])
        rows = rows.filter(cycle__year__in=latest)
    rows = rows.select_related("enterprise", "cycle", "award_level").order_by(
        "-cycle__year", "award_level__rank", "enterprise__name_en"
    )
    grouped: OrderedDict[int, list[Application]] = OrderedDict()
    for app in rows:
        grouped.setdefault(app.cycle.year, []).append(app)
    return grouped


@dataclass(frozen=True)
class Roles:
    is_admin: bool = False
    is_secretary: bool = False
    is_expert: bool = False
    is_committee: bool = False
    is_applicant: bool = False
    is_recommender: bool = False
    is_department: bool = False

    @property
    def any(self) -> bool:
        return any(
            (
                self.is_admin,
                self.is_secretary,
                self.is_expert,
                self.is_committee,
                self.is_applicant,
                self.is_recommender,
                self.is_department,
            )
        )


_ROLE_FLAGS = (
    ("secretary", CycleRole.SECRETARY),
    ("expert", CycleRole.EXPERT),
    ("committee", CycleRole.COMMITTEE),
    ("recommender", CycleRole.RECOMMENDER),
    ("department", CycleRole.DEPARTMENT),
)


@dataclass(frozen=True)
class Links:
    """What ties a user to the award programmes: their roles, the programmes of their cycle roles and
    of their enterprises' applications, and their enterprises' districts (which programmes admit them)."""

    roles: Roles
    programmes: frozenset[int]
    districts: frozenset[str]


@lru_cache(maxsize=1)
def _links_sql() -> str:
    """(kind, value) rows: 'r' a cycle role the user holds, 'p' a programme of one of those cycles or of
    an application of their enterprises, 'd' a district of their enterprises. Written as SQL: every
    signed-in page asks (the navigation and the programme scope), and built with the ORM (a union of
    annotated querysets, or six EXISTS subqueries) its compilation cost ten times the query."""
    membership, cycle, application = CycleMembership._meta, AwardCycle._meta, Application._meta
    member, enterprise = EnterpriseMembership._meta, Enterprise._meta
    programme_id = f"CAST(c.{cycle.get_field('programme').column} AS VARCHAR(20))"
    user_of = f"m.{membership.get_field('user').column}"
    return (
        f"SELECT 'r', m.{membership.get_field('role').column} FROM {membership.db_table} m WHERE {user_of} = %s "
        f"UNION SELECT 'p', {programme_id} FROM {membership.db_table} m "
        f"JOIN {cycle.db_table} c ON c.id = m.{membership.get_field('cycle').column} WHERE {user_of} = %s "
        f"UNION SELECT 'p', {programme_id} FROM {application.db_table} a "
        f"JOIN {cycle.db_table} c ON c.id = a.{application.get_field('cycle').column} "
        f"JOIN {member.db_table} em ON em.{member.get_field('enterprise').column} = "
        f"a.{application.get_field('enterprise').column} "
        f"WHERE em.{member.get_field('user').column} = %s "
        f"UNION SELECT 'd', e.{enterprise.get_field('district').column} FROM {member.db_table} em "
        f"JOIN {enterprise.db_table} e ON e.id = em.{member.get_field('enterprise').column} "
        f"WHERE em.{member.get_field('user').column} = %s"
    )


def user_links(user: User, *, fresh: bool = False) -> Links:
    """The user's `Links`, one query, kept on the user object for the request it was loaded for (the
    navigation, the permission predicates and the programme scope all ask); `fresh` reads them again."""
    cached = getattr(user, "_mqa_links", None)
    if cached is not None and not fresh:
        return cached
    with connection.cursor() as cursor:
        cursor.execute(_links_sql(), [user.pk] * 4)
        rows = cursor.fetchall()
    held = {value for kind, value in rows if kind == "r"}
    districts = frozenset(value for kind, value in rows if kind == "d")
    flags = {f"is_{name}": str(role) in held for name, role in _ROLE_FLAGS}
    links = Links(
        roles=Roles(is_admin=user.is_superuser, is_applicant=bool(districts), **flags),
        programmes=frozenset(int(value) for kind, value in rows if kind == "p"),
        districts=districts,
    )
    user._mqa_links = links
    return links


def user_roles(user: User) -> Roles:
    """The roles the user holds anywhere (navigation, dashboard, the office's permission), kept on the
    user object for one request."""
    if not user.is_authenticated:
        return Roles()
    return user_links(user).roles


def cycles_run_by(user: User) -> QuerySet[AwardCycle]:
    """The cycles this user runs: those they are secretary of, every cycle for an admin."""
    qs = AwardCycle.objects.all()
    if not user.is_superuser:
        qs = qs.filter(memberships__user=user, memberships__role=CycleRole.SECRETARY)
    return qs


def cycles_to_choose(user: User) -> QuerySet[AwardCycle]:
    """Cycles the user runs as secretary (all of them for an admin) with their programme, by
    programme (the office's cycle choosers group them under its name), newest first."""
    return cycles_run_by(user).select_related("programme").order_by("programme__slug", "-year")


def cycles_for_office(user: User) -> QuerySet[AwardCycle]:
    """`cycles_to_choose` with their application counts (the office's dashboard)."""
    return cycles_to_choose(user).annotate(
        n_applications=Count("applications", distinct=True),
        n_submitted=Count("applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED), distinct=True),
    )


def application_status_counts(cycle: AwardCycle) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in workflow order, zeros included."""
    counts = dict(
        Application.objects.filter(cycle=cycle).values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return [(s.value, s.label, counts.get(s.value, 0)) for s in ApplicationStatus]


def applications_visible_to(user: User) -> QuerySet[Application]:
    """Applications a user may see in lists: their enterprises', or their cycles' as secretary."""
    qs = Application.objects.select_related("enterprise", "cycle", "award_level")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(enterprise__memberships__user=user)
        | Q(cycle__memberships__user=user, cycle__memberships__role=CycleRole.SECRETARY)
    ).distinct()


def applications_of_user_enterprises(user: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(enterprise__memberships__user=user)
        .select_related("enterprise", "cycle", "award_level")
        .order_by("-cycle__year")
    )


def application_history(application: Application) -> QuerySet[ApplicationTransition]:
    return application.transitions.select_related("by").order_by("at", "pk")


def memberships_of(user: User):
    return CycleMembership.objects.filter(user=user).select_related("cycle").order_by("-cycle__year", "role")


# --- the application and the eligibility review --------------------------------------------------


def cycle_open_for_applications() -> AwardCycle | None:
    """The cycle taking applications now (status open), the latest if several."""
    return AwardCycle.objects.filter(status=CycleStatus.OPEN).select_related("framework").order_by("-year").first()


def cycles_offered_to(enterprises: list) -> list[tuple]:
    """(enterprise, [(cycle, application or None), …]) for each enterprise: the open cycles of the
    programmes whose divisions include its district, with its application to each if started."""
    cycles = list(
        AwardCycle.objects.filter(status=CycleStatus.OPEN)
        .select_related("framework", "programme")
        .order_by("programme__slug", "-year")
    )
    started = {
        (a.enterprise_id, a.cycle_id): a
        for a in Application.objects.filter(enterprise__in=enterprises, cycle__in=cycles).only(
            "pk", "status", "enterprise_id", "cycle_id"
        )
    }
    return [
        (ent, [(c, started.get((ent.pk, c.pk))) for c in cycles if c.programme.admits(ent.district)])
        for ent in enterprises
    ]


# --- loaders: one per kind, for views. The object the user may see, or Http404 (the same answer for
# "does not exist" and "not yours", so not even existence leaks). A view then checks what the user
# may DO with it (403 or a friendly message).


def application_for(*, user: User, pk: int) -> Application:
    """The application if the user may see it at all: their enterprise's, or their cycle's as secretary."""
    return get_object_or_404(applications_visible_to(user).select_related("cycle__framework"), pk=pk)


def cycle_to_apply_to(*, pk: int) -> AwardCycle:
    """The cycle an applicant asks to apply to, whichever programme runs it: cycles are public (the
    home page lists the open ones), and the service then says why one outside the enterprise's
    divisions, or not open, cannot be applied to (a message, where the scope alone would give 404)."""
    with every_programme():
        return get_object_or_404(AwardCycle.objects.select_related("programme"), pk=pk)


def cycle_for_office(*, user: User, pk: int) -> AwardCycle:
    """A cycle the user runs (secretary of it, any for an admin)."""
    return get_object_or_404(cycles_run_by(user), pk=pk)


def attachment_for(*, user: User, application_id: int, pk: int) -> ApplicationAttachment:
    """An evidence file the user may download (`awards.view_attachment`: the enterprise, the office,
    the district's recommending body, the panel's experts)."""
    attachment = get_object_or_404(
        ApplicationAttachment.objects.select_related("application"), pk=pk, application_id=application_id
    )
    if not user.has_perm("awards.view_attachment", attachment):
        raise Http404
    return attachment


def framework_categories(cycle: AwardCycle) -> list:
    return list(cycle.framework.categories.prefetch_related("items").order_by("order", "code"))


def attachments_active(application: Application) -> list:
    return list(
        application.attachments.filter(removed_at__isnull=True)
        .select_related("uploaded_by")
        .order_by("kind", "uploaded_at")
    )


def application_snapshots(application: Application) -> list:
    return list(application.snapshots.select_related("submitted_by").order_by("number"))


def office_messages(application: Application) -> list[ApplicationTransition]:
    """Decisions of the award office with their reasons and per-section comments, newest first."""
    return list(
        application.transitions.filter(
            to_status__in=[
                ApplicationStatus.RETURNED,
                ApplicationStatus.ELIGIBLE,
                ApplicationStatus.INELIGIBLE,
                ApplicationStatus.NOT_APPROVED,
                ApplicationStatus.REVOKED,
            ]
        )
        .select_related("by")
        .prefetch_related("section_comments")
        .order_by("-at", "-pk")
    )


def open_return_comments(application: Application, attachments) -> dict[str, list[str]]:
    """While the application is returned: the office's comments per section, for the sections not
    changed since the version it returned (a changed section has been dealt with)."""
    if application.status != ApplicationStatus.RETURNED:
        return {}
    transition = (
        application.transitions.filter(to_status=ApplicationStatus.RETURNED)
        .prefetch_related("section_comments")
        .order_by("-at", "-pk")
        .first()
    )
    snapshot = application.snapshots.order_by("-number").first()
    if transition is None or snapshot is None:
        return {}
    comments: dict[str, list[str]] = {}
    for comment in transition.section_comments.all():
        if not sections.section_changed(application, snapshot.data, comment.section, attachments):
            comments.setdefault(comment.section, []).append(comment.text)
    return comments


def eligibility_queue(user: User, *, cycle: AwardCycle) -> QuerySet[Application]:
    """The cycle's applications for the secretary (none for anyone else), work first; filtered by
    `awards.filters.ApplicationQueueFilter`, paged by the view; queries constant in the rows."""
    if not (user.is_superuser or is_secretary_of(user, cycle)):
        return Application.objects.none()
    qs = (
        Application.objects.filter(cycle=cycle)
        .select_related("enterprise", "cycle")
        .annotate(n_snapshots=Count("snapshots", distinct=True), last_submitted=Max("snapshots__created_at"))
    )
    # Work first: submitted (oldest first), then returned, then decided ones.
    work_order = Case(
        When(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.RECOMMENDED], then=Value(0)),
        When(status=ApplicationStatus.RETURNED, then=Value(1)),
        default=Value(2),
    )
    return qs.order_by(work_order, "submitted_at", "pk")


def is_secretary_of(user: User, cycle: AwardCycle) -> bool:
    return CycleMembership.objects.filter(user=user, cycle=cycle, role=CycleRole.SECRETARY).exists()


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    label: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    length: int | None
    day_count: str
    beyond_holiday_data: bool

    @property
    def single_day(self) -> bool:
        return self.starts_on is not None and self.starts_on == self.ends_on


def cycle_timeline(cycle: AwardCycle) -> list[TimelineEntry]:
    """The cycle's published timeline, computed from its stages and their windows (and nothing
    else), so what the public reads cannot contradict what the cycle runs."""
    return [
        TimelineEntry(
            kind=stage.kind,
            label=stage.get_kind_display(),
            starts_on=stage.starts_on,
            ends_on=stage.ends_on,
            length=stage.length,
            day_count=stage.day_count,
            beyond_holiday_data=bool(
                stage.day_count == workdays.WORKING and stage.ends_on and workdays.beyond_data(stage.ends_on)
            ),
        )
        for stage in cycle.stages.all()
    ]


APPLICATIONS_STEP = "applications"  # the timeline's first line: the cycle's application window


def timeline_now(cycle: AwardCycle, timeline: list[TimelineEntry], *, now: dt.datetime | None = None) -> str | None:
    """The step of the published timeline under way now: `APPLICATIONS_STEP` while the application
    window is open, else the kind of the stage whose window holds today (Asia/Shanghai), else None
    (between stages, before the first, after the last)."""
    now = now or timezone.now()
    opens, closes = cycle.applications_open_at, cycle.applications_close_at
    if opens and closes and opens <= now < closes:
        return APPLICATIONS_STEP
    today = timezone.localdate(now)
    for entry in timeline:
        if entry.starts_on and entry.ends_on and entry.starts_on <= today <= entry.ends_on:
            return entry.kind
    return None


def stages_beyond_holiday_data(timeline: list[TimelineEntry]) -> list[str]:
    """The names of the stages counted in working days past the last year of the holiday data."""
    return [entry.label for entry in timeline if entry.beyond_holiday_data]


def cycle_stages(cycle: AwardCycle) -> list[CycleStage]:
    return list(CycleStage.objects.filter(cycle=cycle).prefetch_related("panel").order_by("order"))


def stage_window(cycle: AwardCycle, kind: str) -> CycleStage | None:
    return next((s for s in cycle.stages.all() if s.kind == kind), None)


def cycle_experts(cycle: AwardCycle) -> QuerySet[User]:
    return User.objects.filter(cycle_memberships__cycle=cycle, cycle_memberships__role=CycleRole.EXPERT).order_by(
        "email"
    )


@dataclass(frozen=True)
class TransitionRow:
    source: str
    target: str
    actors: str
    needs_comment: bool


def transition_rows(cycle: AwardCycle) -> list[TransitionRow]:
    """The cycle's transition table in words (derived from its stages by awards/workflow.py)."""
    order = list(ApplicationStatus)
    rows = sorted(
        transitions_for(cycle.stage_kinds()).values(), key=lambda t: (order.index(t.source), order.index(t.target))
    )
    return [
        TransitionRow(
            ApplicationStatus(t.source).label,
            ApplicationStatus(t.target).label,
            ", ".join(str(Actor(a).label) for a in sorted(t.actors)),
            t.needs_comment,
        )
        for t in rows
    ]


def can_withdraw(application: Application) -> bool:
    """Before the material review starts (the transition table says from which statuses)."""
    return transition_for(application.status, ApplicationStatus.WITHDRAWN, application.cycle.stage_kinds()) is not None


def cycle_stages_locked(cycle: AwardCycle) -> bool:
    """After the first application is submitted, the stages stay; only their windows move."""
    return AwardCycle.objects.filter(pk=cycle.pk, receipts_issued__gt=0).exists()

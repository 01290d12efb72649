"""Reads for the committee. What a member may see (never others' votes before close) is decided here.

Score blocks: the meeting report and the candidate dossier show one block per entry of
REPORT_BLOCKS / DOSSIER_BLOCKS. Each entry is a function returning a `Block` (or None when it has
nothing to show); the expert-review selectors (cycle ranking, score summaries, category averages,
score distributions) are wired in here, one function each, so the views and PDFs need no change.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Count, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from awards.enums import ApplicationStatus, CycleRole, PassBase
from awards.models import Application, AwardCycle, AwardProgramme, CriteriaCategory, CycleMembership
from awards.selectors import application_history, cycles_run_by
from core.models import User
from enterprises import divisions
from enterprises.enums import Industry
from reviews import selectors as review_selectors
from reviews.enums import AssignmentStatus, RankingBasis, RoundKind, SheetStatus
from reviews.health_selectors import health_context, review_health_now
from reviews.models import Assignment, Panel, ScoreSheet
from vetting import selectors as vetting_selectors

from . import decisions
from .enums import BallotStatus, MeetingStatus, ObjectionStatus, VoteChoice
from .models import (
    Attendance,
    AttendanceEvent,
    Ballot,
    BallotVoter,
    Meeting,
    NoticePeriodChange,
    Objection,
    PublicNotice,
    Recusal,
    Remark,
    SecretChoice,
    Vote,
)


@dataclass
class Block:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


# A report block is given the meeting and the nominees shown: a page of them on the report page, all
# of them (None) in the PDF.
REPORT_BLOCKS: list[Callable[[Meeting, list[Ballot] | None], Block | None]] = []
DOSSIER_BLOCKS: list[Callable[[Ballot], Block | None]] = []


def report_blocks(meeting: Meeting, ballots: list[Ballot] | None = None) -> list[Block]:
    return [b for b in (fn(meeting, ballots) for fn in REPORT_BLOCKS) if b is not None]


def dossier_blocks(ballot: Ballot) -> list[Block]:
    return [b for b in (fn(ballot) for fn in DOSSIER_BLOCKS) if b is not None]


def _committee_cycles(user: User) -> QuerySet[AwardCycle]:
    """Cycles whose committee the user sits on or runs as secretary (all for an admin): what
    `committee.view_meeting` allows, as a queryset."""
    if not user.is_authenticated:
        return AwardCycle.objects.none()
    if user.is_superuser:
        return AwardCycle.objects.all()
    return AwardCycle.objects.filter(
        pk__in=CycleMembership.objects.filter(user=user, role__in=[CycleRole.COMMITTEE, CycleRole.SECRETARY]).values(
            "cycle"
        )
    )


def cycles_for_committee_user(user: User) -> list[AwardCycle]:
    """Cycles whose committee the user sits on or runs as secretary (all for an admin)."""
    return list(_committee_cycles(user).annotate(n_meetings=Count("meetings", distinct=True)).order_by("-year"))


# --- loaders: one per kind, for views. The object the user may see, or Http404 (the same answer for
# "does not exist" and "not yours"); what the user may then do with it is the view's check (403).


def cycle_for_committee(*, user: User, pk: int) -> AwardCycle:
    """A cycle whose committee the user sits on or runs."""
    return get_object_or_404(_committee_cycles(user), pk=pk)


def meeting_for(*, user: User, pk: int) -> Meeting:
    """A meeting of a cycle whose committee the user sits on or runs."""
    return get_object_or_404(Meeting.objects.filter(cycle__in=_committee_cycles(user)).select_related("cycle"), pk=pk)


def ballot_for(*, user: User, pk: int) -> Ballot:
    """A ballot of a meeting the user may see."""
    return get_object_or_404(
        Ballot.objects.filter(meeting__cycle__in=_committee_cycles(user)).select_related(
            "meeting__cycle", "application__enterprise", "award_level"
        ),
        pk=pk,
    )


def notice_for(*, user: User, pk: int) -> PublicNotice:
    """A public notice of a cycle whose committee the user sits on or runs (to manage it; the
    published notice itself is public on its own page)."""
    return get_object_or_404(
        PublicNotice.objects.filter(cycle__in=_committee_cycles(user)).select_related("cycle"), pk=pk
    )


def objection_for_office(*, user: User, pk: int) -> Objection:
    """An objection to a notice of a cycle the user runs (the committee does not handle them)."""
    return get_object_or_404(
        Objection.objects.filter(notice__cycle__in=cycles_run_by(user)).select_related(
            "notice__cycle", "application__enterprise", "handled_by"
        ),
        pk=pk,
    )


def committee_members(cycle: AwardCycle) -> QuerySet[CycleMembership]:
    return (
        CycleMembership.objects.filter(cycle=cycle, role=CycleRole.COMMITTEE)
        .select_related("user")
        .order_by("-is_chair", "pk")
    )


def committee_member_ids(cycle: AwardCycle) -> list[int]:
    return sorted(committee_members(cycle).values_list("user_id", flat=True))


def present_member_ids(meeting: Meeting) -> set[int]:
    """The committee's members present now (attendance of anyone else is ignored)."""
    return set(
        Attendance.objects.filter(
            meeting=meeting, present=True, member_id__in=committee_members(meeting.cycle).values("user_id")
        ).values_list("member_id", flat=True)
    )


def meetings_of_cycle(cycle: AwardCycle) -> QuerySet[Meeting]:
    return cycle.meetings.annotate(n_ballots=Count("ballots")).order_by("-starts_at")


AGENDA_ORDER = ("rank", "tie_order", "pk")


def meeting_ballots(meeting: Meeting, *, ids=None, application_ids=None) -> list[Ballot]:
    """The meeting's ballots in agenda order: all of them (the minutes, the PDFs), or only those
    named (a posted form's ballots, by ballot or by application)."""
    qs = meeting.ballots.select_related("application__enterprise", "award_level").order_by(*AGENDA_ORDER)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if application_ids is not None:
        qs = qs.filter(application_id__in=list(application_ids))
    return list(qs)


def _ballot_cards(meeting: Meeting) -> QuerySet[Ballot]:
    """Ballots with what a card on the meeting page shows (recusals, how many have voted)."""
    return (
        meeting.ballots.select_related("application__enterprise", "award_level")
        .prefetch_related(Prefetch("recusals", queryset=Recusal.objects.select_related("member")))
        .annotate(n_voters=Count("voters", distinct=True))
        .order_by(*AGENDA_ORDER)
    )


def meeting_agenda(meeting: Meeting) -> QuerySet[Ballot]:
    """The agenda below the open ballots: every ballot not open for voting, in agenda order (paged
    by the view; the open ones are always on top, see `open_ballots`)."""
    return _ballot_cards(meeting).exclude(status=BallotStatus.OPEN)


def open_ballots(meeting: Meeting) -> list[Ballot]:
    """The ballots open for voting now: shown above the agenda on every page."""
    return list(_ballot_cards(meeting).filter(status=BallotStatus.OPEN))


def agenda_counts(meeting: Meeting) -> dict[str, int]:
    """How many candidates the agenda has, and how many ballots are pending, open and closed."""
    counts = meeting.ballots.aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(status=BallotStatus.PENDING)),
        open=Count("pk", filter=Q(status=BallotStatus.OPEN)),
        closed=Count("pk", filter=Q(status=BallotStatus.CLOSED)),
    )
    return {k: v or 0 for k, v in counts.items()}


def agenda_position(ballot: Ballot) -> int | None:
    """The ballot's place (from 0) in `meeting_agenda`, to send the office back to its page; None for
    an open ballot (it is on top of every page). Counted by the database."""
    if ballot.status == BallotStatus.OPEN:
        return None
    rank, tie, pk = ballot.rank, ballot.tie_order, ballot.pk
    # PostgreSQL orders a missing tie order after every given one.
    if tie is None:
        same_rank_before = Q(tie_order__isnull=False) | Q(tie_order__isnull=True, pk__lt=pk)
    else:
        same_rank_before = Q(tie_order__lt=tie) | Q(tie_order=tie, pk__lt=pk)
    before = Q(rank__lt=rank) | (Q(rank=rank) & same_rank_before)
    return ballot.meeting.ballots.exclude(status=BallotStatus.OPEN).filter(before).count()


@dataclass
class QuorumView:
    members: int
    present: int
    needed: int
    numerator: int
    denominator: int
    reached: bool


def meeting_quorum(meeting: Meeting, members: int | None = None, present: int | None = None) -> QuorumView:
    """The quorum: for a closed meeting as stored at the close, otherwise as it stands."""
    stored = (meeting.attendance_record or {}).get("quorum") if meeting.status == MeetingStatus.CLOSED else None
    if stored:
        return QuorumView(**stored)
    return quorum_now(meeting, members, present)


def quorum_now(meeting: Meeting, members: int | None = None, present: int | None = None) -> QuorumView:
    """`members` and `present`: how many sit on the committee and are present, when the caller knows."""
    cycle = meeting.cycle
    present = len(present_member_ids(meeting)) if present is None else present
    n = len(committee_member_ids(cycle)) if members is None else members
    num, den = cycle.quorum_numerator, cycle.quorum_denominator
    return QuorumView(
        members=n,
        present=present,
        needed=decisions.quorum_needed(members=n, numerator=num, denominator=den),
        numerator=num,
        denominator=den,
        reached=decisions.has_quorum(present=present, members=n, numerator=num, denominator=den),
    )


@dataclass
class BallotRow:
    ballot: Ballot
    my_vote: str | None  # roll-call only; under secret ballot nobody's choice is shown, not even one's own
    i_have_voted: bool
    i_am_recused: bool
    recusals: list[Recusal]
    votes_cast: int  # how many have voted: shown to the office while open, never who or how
    eligible: int | None  # members who may vote (present or voted, not recused)
    voting: int | None  # votes cast, once closed
    base: int | None  # the base of the pass fraction, once closed
    base_label: str = ""
    approvals_needed: int | None = None
    votes: list[Vote] = field(default_factory=list)  # roll-call: who voted how, once the ballot is closed
    lhs: int | None = None  # approvals × pass denominator
    rhs: int | None = None  # base × pass numerator
    rule_changed: bool = False  # the cycle's counting rule differs now from the one this ballot was counted under


@dataclass
class CountingRule:
    numerator: int
    denominator: int
    base: str
    base_label: str
    secret: bool
    as_decided: bool  # read from the ballots as closed, not from today's cycle settings


def counting_rule(meeting: Meeting) -> CountingRule:
    """The rule stated on the meeting page and in the minutes: once a ballot has closed, the rule it
    was counted under (a later change of the cycle's settings applies to undecided work only)."""
    cycle = meeting.cycle
    decided = (
        meeting.ballots.filter(status=BallotStatus.CLOSED)
        .exclude(pass_base="")
        .order_by("closed_at", "pk")
        .values("pass_numerator", "pass_denominator", "pass_base", "secret")
        .first()
    )
    if decided:
        return CountingRule(
            decided["pass_numerator"],
            decided["pass_denominator"],
            decided["pass_base"],
            _base_label(decided["pass_base"]),
            bool(decided["secret"]),
            True,
        )
    return cycle_rule(cycle)


def cycle_rule(cycle: AwardCycle) -> CountingRule:
    """The cycle's counting rule as set now (for work not yet decided)."""
    return CountingRule(
        cycle.pass_numerator,
        cycle.pass_denominator,
        cycle.pass_base,
        _base_label(cycle.pass_base),
        cycle.secret_ballot,
        False,
    )


def _base_label(rule: str) -> str:
    return str(PassBase(rule).label) if rule in PassBase.values else str(_("Members present and voting"))


def meeting_ballot_rows(
    meeting: Meeting, user: User, ballots=None, *, member_ids: set[int] | None = None, present: set[int] | None = None
) -> list[BallotRow]:
    """The cards of the given ballots (of `_ballot_cards`: a page of the agenda and the open ones), or
    of every ballot (the minutes). The votes, voters and recusals read are those of these ballots only.
    `member_ids` and `present` (the committee's members, those present now) when the caller has them."""
    if ballots is None:
        ballots, shown = list(_ballot_cards(meeting)), {"ballot__meeting": meeting}
    else:
        ballots = list(ballots)
        shown = {"ballot_id__in": [b.pk for b in ballots]}
    mine = dict(Vote.objects.filter(**shown, member_id=user.pk).values_list("ballot_id", "choice"))
    voted = set(BallotVoter.objects.filter(**shown, member_id=user.pk).values_list("ballot_id", flat=True))
    cycle = meeting.cycle
    closed_votes = closed_ballot_votes(meeting, shown)
    if member_ids is None:
        member_ids = set(committee_members(cycle).values_list("user_id", flat=True))
    if present is None:
        present = set(Attendance.objects.filter(meeting=meeting, present=True).values_list("member_id", flat=True))
    voters_open: dict[int, set[int]] = {}
    for ballot_id, member_id in BallotVoter.objects.filter(**shown, ballot__status=BallotStatus.OPEN).values_list(
        "ballot_id", "member_id"
    ):
        voters_open.setdefault(ballot_id, set()).add(member_id)
    rows = []
    for b in ballots:
        recused = {r.member_id for r in b.recusals.all()}
        closed = b.status == BallotStatus.CLOSED
        if closed:
            # The stored outcome: the base and threshold in force at the close (older ballots: votes cast).
            base = b.base if b.base is not None else b.voting
            num = b.pass_numerator or cycle.pass_numerator
            den = b.pass_denominator or cycle.pass_denominator
            eligible = b.eligible
        else:
            base, num, den = None, cycle.pass_numerator, cycle.pass_denominator
            eligible = len(((present | voters_open.get(b.pk, set())) & member_ids) - recused)
        rows.append(
            BallotRow(
                ballot=b,
                my_vote=None if b.secret else mine.get(b.pk),
                i_have_voted=b.pk in voted,
                i_am_recused=user.pk in recused,
                recusals=list(b.recusals.all()),
                votes_cast=b.n_voters,
                eligible=eligible,
                voting=b.voting if closed else None,
                base=base,
                base_label=_base_label(b.pass_base) if closed else _base_label(cycle.pass_base),
                approvals_needed=decisions.approvals_needed(base=base, numerator=num, denominator=den)
                if base is not None
                else None,
                votes=[] if b.secret else closed_votes.get(b.pk, []),
                lhs=b.approvals * den if base is not None else None,
                rhs=base * num if base is not None else None,
                rule_changed=closed
                and bool(b.pass_base)
                and (b.pass_base, b.pass_numerator, b.pass_denominator)
                != (cycle.pass_base, cycle.pass_numerator, cycle.pass_denominator),
            )
        )
    return rows


def closed_ballot_votes(meeting: Meeting, shown: dict | None = None) -> dict[int, list[Vote]]:
    """Who voted how, for closed roll-call ballots only: members do not see others' votes until the
    close, and under secret ballot nobody ever does (there is no such row). `shown`: a filter on the
    votes naming the ballots shown (default: every ballot of the meeting)."""
    votes: dict[int, list[Vote]] = {}
    for v in (
        Vote.objects.filter(**(shown or {"ballot__meeting": meeting}), ballot__status=BallotStatus.CLOSED)
        .exclude(ballot__secret=True)
        .select_related("member")
        .order_by("member__full_name", "member__email")
    ):
        votes.setdefault(v.ballot_id, []).append(v)
    return votes


@dataclass
class AttendanceRow:
    id: int
    name: str
    unit: str
    is_chair: bool
    present: bool | None  # None: not recorded


def meeting_attendance(meeting: Meeting) -> list[AttendanceRow]:
    """The members and whether each is present: for a closed meeting as stored at the close (members
    who joined the committee later are not listed), otherwise as it stands."""
    stored = (meeting.attendance_record or {}).get("members") if meeting.status == MeetingStatus.CLOSED else None
    if stored:
        return [AttendanceRow(**m) for m in stored]
    return attendance_now(meeting)


def attendance_now(meeting: Meeting) -> list[AttendanceRow]:
    present = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "present"))
    return [
        AttendanceRow(m.user_id, m.user.get_full_name(), m.unit, m.is_chair, present.get(m.user_id))
        for m in committee_members(meeting.cycle)
    ]


def meeting_attendance_events(meeting: Meeting) -> QuerySet[AttendanceEvent]:
    return meeting.attendance_events.select_related("member").order_by("at", "pk")


def ballot_missing(ballot: Ballot) -> dict[str, Any]:
    """Who may still vote on an open ballot and has not: who is known, never how anyone voted."""
    member_ids = set(committee_member_ids(ballot.meeting.cycle))
    present = present_member_ids(ballot.meeting)
    voters = set(ballot.voters.values_list("member_id", flat=True))
    recused = set(ballot.recusals.values_list("member_id", flat=True))
    eligible = decisions.present_and_voting(members=member_ids, present=present, voters=voters, recused=recused)
    missing = User.objects.filter(pk__in=eligible - voters).order_by("full_name", "email")
    return {"eligible": len(eligible), "voted": len(voters & eligible), "missing": list(missing)}


def meeting_remarks(meeting: Meeting) -> QuerySet[Remark]:
    return meeting.remarks.select_related("member", "application__enterprise").order_by("created_at", "pk")


@dataclass
class DecidedLevel:
    """An award level as it stood when the meeting closed (from Meeting.levels_record)."""

    pk: int
    name_zh: str
    name_en: str
    quota: int
    quota_now: int | None  # None: the level was removed since

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


def level_preview(meeting: Meeting) -> dict[str, Any]:
    """The award levels, for the page and the minutes. Once the meeting is closed: as stored when it
    closed (each candidate's level and the quota it was counted against), never re-derived from
    today's quotas. Before: what the closed ballots give now, with ties and vacancies."""
    if meeting.status == MeetingStatus.CLOSED:
        return _levels_decided(meeting)
    # Only the candidates who passed take a level: the rest of the agenda is not read.
    ballots = {b.pk: b for b in _passed_ballots(meeting)}
    levels = {lvl.pk: lvl for lvl in meeting.cycle.levels.order_by("rank")}
    all_closed = not meeting.ballots.exclude(status=BallotStatus.CLOSED).exists()
    taken = places_taken(meeting)
    allocation = meeting_level_allocation(meeting, taken)
    rows = []
    for level in levels.values():
        rows.append(
            {
                "level": level,
                "taken": taken[level.pk],
                "ballots": [ballots[k] for k, v in allocation.levels.items() if v == level.pk],
                "vacant": allocation.vacancies.get(level.pk, 0),
            }
        )
    ties = [
        {"level": levels[t.level], "places": t.places, "ballots": [ballots[k] for k in t.candidates]}
        for t in allocation.ties
    ]
    no_place = [ballots[k] for k, v in allocation.levels.items() if v is None]
    return {
        "rows": rows,
        "any_taken": any(taken.values()),
        "ties": ties,
        "no_place": no_place,
        "all_closed": all_closed,
        "allocation": allocation,
        "decided": False,
        "changed_since": False,
    }


def _passed_ballots(meeting: Meeting) -> list[Ballot]:
    """The ballots that passed or hold a level, in agenda order."""
    return list(
        meeting.ballots.filter(Q(passed=True) | Q(award_level__isnull=False))
        .select_related("application__enterprise", "award_level")
        .order_by(*AGENDA_ORDER)
    )


def _levels_decided(meeting: Meeting) -> dict[str, Any]:
    ballots = _passed_ballots(meeting)
    now = {lvl.pk: lvl for lvl in meeting.cycle.levels.all()}
    record = meeting.levels_record or [
        # Meetings closed before levels were stored: the stored levels of the ballots, today's quotas.
        {"id": lvl.pk, "name_zh": lvl.name_zh, "name_en": lvl.name_en, "quota": lvl.quota, "taken": 0, "vacant": None}
        for lvl in sorted(now.values(), key=lambda lvl: lvl.rank)
    ]
    rows = []
    for entry in record:
        held = [b for b in ballots if b.award_level_id == entry["id"]]
        level = DecidedLevel(
            pk=entry["id"],
            name_zh=entry["name_zh"],
            name_en=entry["name_en"],
            quota=entry["quota"],
            quota_now=now[entry["id"]].quota if entry["id"] in now else None,
        )
        vacant = entry["vacant"]
        if vacant is None:
            vacant = max(entry["quota"] - len(held), 0)
        rows.append({"level": level, "taken": entry["taken"], "ballots": held, "vacant": vacant})
    return {
        "rows": rows,
        "any_taken": any(r["taken"] for r in rows),
        "ties": [],
        "no_place": [b for b in ballots if b.passed and b.award_level_id is None],
        "all_closed": True,
        "allocation": None,
        "decided": True,
        "changed_since": any(r["level"].quota_now != r["level"].quota for r in rows),
    }


# --- the meeting report -------------------------------------------------------------------------


def _choice_label(field_name: str, choices) -> Case:
    """A choice's label named by the database, in the request's language (no work per row in Python)."""
    return Case(
        *[When(**{field_name: value}, then=Value(str(label))) for value, label in choices],
        default=Value(""),
        output_field=CharField(),
    )


def report_nominees(meeting: Meeting) -> QuerySet[Ballot]:
    """The nominees of the meeting in agenda order, with their district and industry labels (page it)."""
    return (
        meeting.ballots.select_related("application__enterprise")
        .annotate(
            district_label=_choice_label("application__enterprise__district", divisions.county_choices()),
            industry_label=_choice_label("application__enterprise__industry", Industry.choices),
        )
        .order_by(*AGENDA_ORDER)
    )


def nominee_positions(meeting: Meeting, ballots) -> list[tuple[Ballot, Any, Any]]:
    """The given nominees with their place in the cycle's expert ranking and their presentation score
    (陈述答辩, as the dossier shows it; None without one). The place is the one stored when the
    office nominated them from the ranking (`RankingDecision`: rank, scores, the score with the
    presentation weighted in); a nominee without a stored decision gets its live place (combined
    basis), numbered by the database over the stored panel scores for these applications only."""
    ballots = list(ballots)
    ids = [b.application_id for b in ballots]
    decided = {pk: review_selectors.decided_position(d) for pk, d in review_selectors.ranking_decisions(ids).items()}
    live = [pk for pk in ids if pk not in decided]
    positions = (
        review_selectors.ranking_positions(cycle=meeting.cycle, basis=RankingBasis.COMBINED, application_ids=live)
        | decided
    )
    presentations = vetting_selectors.presentation_figures(ids)
    return [(b, positions.get(b.application_id), presentations.get(b.application_id)) for b in ballots]


def report_state(meeting: Meeting) -> str:
    """What the meeting report's figures follow besides the recorded changes (see
    `core.http_cache.fragment_per_state`): the cycle's stored panel scores and presentation figures,
    which are written with the scores (one statement)."""
    return f"{review_selectors.ranking_state(meeting.cycle)}/{meeting.status}"


def cycle_breakdown(cycle: AwardCycle) -> dict[str, list[tuple[str, int]]]:
    """The cycle's submitted applications by city, district, industry and status (drafts excluded).

    Cities and districts are named from the division data (enterprises.divisions), in code order."""
    apps = Application.objects.filter(cycle=cycle).exclude(status=ApplicationStatus.DRAFT)
    by_district = Counter(dict(apps.values_list("enterprise__district").annotate(n=Count("id"))))
    by_city: Counter[str] = Counter()
    for code, n in by_district.items():
        city = divisions.city_of(code)
        by_city[city.code if city else ""] += n
    by_industry = Counter(dict(apps.values_list("enterprise__industry").annotate(n=Count("id"))))
    by_status = Counter(dict(apps.values_list("status").annotate(n=Count("id"))))
    return {
        "city": [(c.name, by_city[c.code]) for c in divisions.cities() if by_city[c.code]],
        "district": [(d.name, by_district[d.code]) for d in divisions.counties() if by_district[d.code]],
        "industry": [(str(i.label), by_industry[i.value]) for i in Industry if by_industry[i.value]],
        "outcome": [(str(s.label), by_status[s.value]) for s in ApplicationStatus if by_status[s.value]],
    }


def chart_rows(pairs: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """Rows with a percentage of the largest value: the PDF draws its bars from these."""
    top = max((n for _, n in pairs), default=0) or 1
    return [{"label": label, "n": n, "pct": round(100 * n / top)} for label, n in pairs]


def candidate_history(ballot: Ballot):
    return application_history(ballot.application)


# --- notice, objections, winners ----------------------------------------------------------------


def notices_current(programme: AwardProgramme) -> QuerySet[PublicNotice]:
    """A programme's notices whose candidates are still on public notice (what the public page lists)."""
    return (
        PublicNotice.objects.filter(applications__status=ApplicationStatus.PUBLIC_NOTICE, cycle__programme=programme)
        .distinct()
        .select_related("cycle")
        .prefetch_related(
            Prefetch("period_changes", queryset=NoticePeriodChange.objects.order_by("changed_at", "pk")),
            Prefetch(
                "applications",
                queryset=Application.objects.filter(status=ApplicationStatus.PUBLIC_NOTICE)
                .select_related("enterprise", "award_level")
                .order_by("award_level__rank", "enterprise__name_zh"),
                to_attr="listed",
            ),
        )
        .order_by("-starts_on")
    )


def notice_of_year(year: int, programme: AwardProgramme) -> dict[str, Any] | None:
    """The public record of a year's notice: each notice with its period (and changes), the candidates
    published on it, and the objections, anonymised (no name, contact, reasons or reply: only the
    candidate, the day lodged and how it was handled). None when the year had no notice."""
    cycle = (
        AwardCycle.objects.filter(year=year, programme=programme)
        .select_related("government_approval", "programme")
        .first()
    )
    if cycle is None:
        return None
    notices = list(
        cycle.notices.order_by("starts_on", "pk").prefetch_related(
            Prefetch(
                "applications",
                queryset=Application.objects.select_related("enterprise", "award_level").order_by(
                    "award_level__rank", "enterprise__name_zh"
                ),
            ),
            Prefetch("period_changes", queryset=NoticePeriodChange.objects.order_by("changed_at", "pk")),
            Prefetch(
                "objections",
                queryset=Objection.objects.select_related("application__enterprise").order_by("created_at", "pk"),
            ),
        )
    )
    if not notices:
        return None
    return {"cycle": cycle, "notices": notices, "approval": getattr(cycle, "government_approval", None)}


def notice_years(programme: AwardProgramme) -> list[int]:
    return list(
        AwardCycle.objects.filter(notices__isnull=False, programme=programme)
        .distinct()
        .order_by("-year")
        .values_list("year", flat=True)
    )


def objections_of_cycle(cycle: AwardCycle) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(notice__cycle=cycle)
        .select_related("application__enterprise", "handled_by", "notice")
        .order_by("status", "-created_at")
    )


def open_objection_count(cycle: AwardCycle) -> int:
    return Objection.objects.filter(notice__cycle=cycle, status=ObjectionStatus.OPEN).count()


def _published_awards() -> QuerySet[Application]:
    return Application.objects.filter(status__in=[ApplicationStatus.AWARDED, ApplicationStatus.REVOKED]).exclude(
        award_level__isnull=True
    )


def winner_years(programme: AwardProgramme) -> list[int]:
    """A programme's award years with published winners (or revocations), newest first: one query."""
    return list(
        _published_awards()
        .filter(cycle__programme=programme)
        .order_by("-cycle__year")
        .values_list("cycle__year", flat=True)
        .distinct()
    )


def winners_by_year_and_level(*, programme: AwardProgramme, years: list[int] | None = None) -> list[dict[str, Any]]:
    """The winners of `years` (all when None): per year (newest first), per level (highest first),
    with the approval record, and the awards of that year revoked since (domain: a revocation is
    published) with their date; the reason stays in the audit log and the application's history
    (see certificates.forms.RevokeForm)."""
    apps = _published_awards().filter(cycle__programme=programme)
    if years is not None:
        apps = apps.filter(cycle__year__in=years)
    apps = apps.select_related("enterprise", "cycle", "award_level", "cycle__government_approval").order_by(
        "-cycle__year", "award_level__rank", "enterprise__name_en"
    )
    years: list[dict[str, Any]] = []
    for app in apps:
        if not years or years[-1]["cycle"].pk != app.cycle_id:
            approval = getattr(app.cycle, "government_approval", None)
            years.append({"cycle": app.cycle, "approval": approval, "levels": [], "revoked": []})
        if app.status == ApplicationStatus.REVOKED:
            years[-1]["revoked"].append({"application": app, "on": app.status_changed_at})
            continue
        levels = years[-1]["levels"]
        # Grouped by the level and its name as decided: a level renamed since keeps its awarded name.
        key = (app.award_level_id, app.level_name)
        if not levels or levels[-1]["key"] != key:
            levels.append({"key": key, "level": app.award_level, "name": app.level_name, "winners": []})
        levels[-1]["winners"].append(app)
    return years


# --- dashboard ----------------------------------------------------------------------------------


def member_upcoming(user: User) -> dict[str, Any]:
    cycles = CycleMembership.objects.filter(user=user, role=CycleRole.COMMITTEE).values_list("cycle_id", flat=True)
    meetings = list(
        Meeting.objects.filter(cycle_id__in=cycles, status__in=(MeetingStatus.SCHEDULED, MeetingStatus.OPEN))
        .select_related("cycle")
        .order_by("starts_at")[:5]
    )
    open_ballots = list(
        Ballot.objects.filter(
            meeting__cycle_id__in=cycles, status=BallotStatus.OPEN, meeting__status=MeetingStatus.OPEN
        )
        .exclude(voters__member=user)
        .exclude(recusals__member=user)
        .select_related("application__enterprise", "meeting")
    )
    return {"meetings": meetings, "open_ballots": open_ballots}


def secretary_overview(user: User) -> list[dict[str, Any]]:
    qs = cycles_run_by(user).select_related("programme")
    cycles = list(
        qs.annotate(
            n_open_objections=Count(
                "notices__objections", filter=Q(notices__objections__status=ObjectionStatus.OPEN), distinct=True
            ),
            n_nominated=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.NOMINATED), distinct=True
            ),
        ).order_by("-year")[:5]
    )
    latest = {}
    for m in Meeting.objects.filter(cycle__in=cycles).order_by("-starts_at"):
        latest.setdefault(m.cycle_id, m)
    return [{"cycle": c, "meeting": latest.get(c.pk)} for c in cycles]


# --- score blocks from the expert review (REPORT_BLOCKS / DOSSIER_BLOCKS) ------------------------

HISTOGRAM_BIN = 50  # points per bar of the score histograms


def _histogram(totals_by_round: dict[str, list]) -> tuple[list[str], dict[str, list[int]]]:
    """Bins of HISTOGRAM_BIN points spanning every round's totals: labels and counts per round."""
    values = [float(v) for totals in totals_by_round.values() for v in totals]
    if not values:
        return [], {}
    lo = int(min(values) // HISTOGRAM_BIN) * HISTOGRAM_BIN
    hi = int(max(values) // HISTOGRAM_BIN) * HISTOGRAM_BIN
    starts = list(range(lo, hi + 1, HISTOGRAM_BIN))
    labels = [f"{s}–{s + HISTOGRAM_BIN - 1}" for s in starts]
    counts = {}
    for kind, totals in totals_by_round.items():
        row = [0] * len(starts)
        for v in totals:
            row[(int(float(v)) // HISTOGRAM_BIN * HISTOGRAM_BIN - lo) // HISTOGRAM_BIN] += 1
        counts[kind] = row
    return labels, counts


def expert_review_report(meeting: Meeting, ballots: list[Ballot] | None = None) -> Block | None:
    """How the expert evaluation went: panels and experts per round, score histograms, the experts'
    agreement, and the nominees in the expert ranking. A constant number of queries."""
    cycle = meeting.cycle
    panels = dict(
        Panel.objects.filter(round__cycle=cycle).values_list("round__kind").annotate(n=Count("id")).order_by()
    )
    if not panels:
        return None
    counted = Assignment.objects.filter(panel__round__cycle=cycle).exclude(status=AssignmentStatus.CONFLICT)
    experts = dict(counted.values_list("panel__round__kind").annotate(n=Count("expert", distinct=True)).order_by())
    conflicts = dict(
        Assignment.objects.filter(panel__round__cycle=cycle, status=AssignmentStatus.CONFLICT)
        .values_list("panel__round__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    distribution = review_selectors.cycle_score_distribution(cycle=cycle)
    labels, counts = _histogram({k: d.totals for k, d in distribution.items()})
    round_labels = dict(RoundKind.choices)
    rounds = [
        {
            "kind": kind,
            "label": round_labels[kind],
            "panels": panels.get(kind, 0),
            "experts": experts.get(kind, 0),
            "conflicts": conflicts.get(kind, 0),
            "scored": len(distribution[kind].totals) if kind in distribution else 0,
            "highest": distribution[kind].totals[0] if kind in distribution else None,
            "lowest": distribution[kind].totals[-1] if kind in distribution else None,
            "gap": distribution[kind].mean_pairwise_gap if kind in distribution else None,
            "sd": distribution[kind].mean_sd if kind in distribution else None,
        }
        for kind in review_selectors.ROUND_ORDER
        if kind in panels
    ]
    histogram_rows = [
        (label, [counts[r["kind"]][i] if r["kind"] in counts else 0 for r in rounds]) for i, label in enumerate(labels)
    ]
    nominees = nominee_positions(meeting, meeting_ballots(meeting) if ballots is None else ballots)
    return Block(
        "committee/_block_expert_review.html",
        {
            "rounds": rounds,
            "total_experts": counted.values("expert").distinct().count(),
            "histogram_rows": histogram_rows,
            "bin": HISTOGRAM_BIN,
            "chart": {
                "labels": labels,
                "series": [{"label": str(r["label"]), "data": counts.get(r["kind"], [])} for r in rounds],
                "integer": True,
            },
            "nominees": nominees,
            "with_presentation": any(p is not None for _b, _r, p in nominees),
            "presentation_weight": cycle.presentation_weight,
            "weights": (cycle.material_weight, cycle.onsite_weight),
        },
    )


def _tally(texts) -> list[tuple[str, int]]:
    """The distinct comments, in order of first appearance, with how many experts wrote each."""
    counts = Counter(t.strip() for t in texts if t and t.strip())
    return list(counts.items())


def candidate_scores(ballot: Ballot) -> Block | None:
    """One candidate's scores per category against the cycle's average, the round totals, the experts'
    strengths and opportunities per category, and the on-site visit's summary."""
    application = ballot.application
    cycle = application.cycle
    summary = review_selectors.application_score_summary(application=application)
    if not summary.rounds:
        return None
    averages = review_selectors.cycle_category_averages(cycle=cycle)
    ranking = review_selectors.ranking_row(cycle=cycle, application=application, basis=RankingBasis.COMBINED)
    decision = review_selectors.ranking_decisions([application.pk]).get(application.pk)
    if ranking is not None and decision is not None:
        # The rank and the scores decided on when the office nominated (or shortlisted) it.
        ranking.rank, ranking.combined = decision.rank, decision.combined
        ranking.with_presentation = decision.with_presentation
    by_kind = {r.kind: r for r in summary.rounds}
    latest = by_kind.get(RoundKind.ONSITE) or by_kind.get(RoundKind.MATERIAL)
    categories = list(CriteriaCategory.objects.filter(framework_id=cycle.framework_id).order_by("order", "code"))
    rows = [
        {
            "category": c,
            "material": by_kind[RoundKind.MATERIAL].categories.get(c.code) if RoundKind.MATERIAL in by_kind else None,
            "onsite": by_kind[RoundKind.ONSITE].categories.get(c.code) if RoundKind.ONSITE in by_kind else None,
            "latest": latest.categories.get(c.code),
            "average": averages.get(c.code),
            "strengths": _tally(s for r in summary.rounds for s, _o in r.feedback.get(c.code, [])),
            "opportunities": _tally(o for r in summary.rounds for _s, o in r.feedback.get(c.code, [])),
        }
        for c in categories
    ]
    onsite = by_kind.get(RoundKind.ONSITE)
    visit_comments = []
    if onsite:
        visit_comments = list(
            ScoreSheet.objects.filter(assignment__panel=onsite.panel, status=SheetStatus.SUBMITTED)
            .exclude(assignment__status=AssignmentStatus.CONFLICT)
            .exclude(overall_comment="")
            .order_by("-assignment__is_leader", "assignment__expert__email")
            .values_list("overall_comment", flat=True)
        )
    return Block(
        "committee/_block_candidate_scores.html",
        {
            "summary": summary,
            "material": by_kind.get(RoundKind.MATERIAL),
            "onsite": onsite,
            "latest": latest,
            "ranking": ranking,
            "rows": rows,
            "visit_comments": _tally(visit_comments),
            "has_feedback": any(r["strengths"] or r["opportunities"] for r in rows),
            "chart": {
                "labels": [c.code for c in categories],
                "series": [
                    {"label": str(latest.label), "data": [float(r["latest"] or 0) for r in rows]},
                    {"label": str(_("Cycle average")), "data": [float(r["average"] or 0) for r in rows]},
                ],
            },
        },
    )


def review_health_report(meeting: Meeting, _ballots: list[Ballot] | None = None) -> Block | None:
    """Review health: as stored when the meeting closed, computed from today's scores before that."""

    stored = meeting.status == MeetingStatus.CLOSED and bool(meeting.health_record)
    health = health_context(meeting.health_record if stored else review_health_now(cycle=meeting.cycle))
    if health is None:
        return None
    return Block("committee/_block_review_health.html", {"health": health, "stored": stored})


REPORT_BLOCKS.append(expert_review_report)
REPORT_BLOCKS.append(review_health_report)
DOSSIER_BLOCKS.append(candidate_scores)


# --- the count of a ballot and the award levels (reads the services act on) -------------------


def ballot_tally(ballot: Ballot) -> dict:
    """The count of an open ballot as it stands, under the cycle's rule in force.

    Eligible: the members present now or who voted while present, not recused. Counted: every vote
    cast (a vote is only accepted from a present, non-recused member, and a recusal withdraws it)."""
    meeting = ballot.meeting
    cycle = AwardCycle.objects.get(pk=meeting.cycle_id)
    members = set(committee_member_ids(cycle))
    present = present_member_ids(meeting)
    recused = set(Recusal.objects.filter(ballot=ballot).values_list("member_id", flat=True))
    voters = set(BallotVoter.objects.filter(ballot=ballot).values_list("member_id", flat=True))
    choices = SecretChoice.objects if ballot.secret else Vote.objects
    counts = dict.fromkeys(VoteChoice.values, 0)
    counts.update(dict(choices.filter(ballot=ballot).values_list("choice").annotate(n=Count("pk")).order_by()))
    eligible = decisions.present_and_voting(members=members, present=present, voters=voters, recused=recused)
    cast = counts[VoteChoice.APPROVE] + counts[VoteChoice.REJECT] + counts[VoteChoice.ABSTAIN]
    base = decisions.count_base(cycle.pass_base, eligible=len(eligible), members=len(members - recused), cast=cast)
    return {
        "members": len(members),
        "present": len(present),
        "recused": len(recused & present),
        "approvals": counts[VoteChoice.APPROVE],
        "rejections": counts[VoteChoice.REJECT],
        "abstentions": counts[VoteChoice.ABSTAIN],
        "eligible": len(eligible),
        "voted": len(voters & eligible),
        "base": base,
        "pass_base": cycle.pass_base,
        "pass_numerator": cycle.pass_numerator,
        "pass_denominator": cycle.pass_denominator,
        "_ids": {"present": present, "recused": recused, "voters": voters, "eligible": eligible},
    }


HOLDING_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.PUBLIC_NOTICE, ApplicationStatus.AWARDED)


def places_taken(meeting: Meeting) -> Counter:
    """Places of each level already held by candidates of the cycle decided elsewhere: approved in
    an earlier meeting, on public notice or awarded. A candidate sent back to the committee (an
    objection upheld) is on this meeting's agenda and holds nothing; a revoked award frees its place."""
    here = meeting.ballots.values("application_id")  # a subquery: the agenda is not read into Python
    holding: dict[int, int] = {}
    earlier = (
        Ballot.objects.filter(
            meeting__cycle=meeting.cycle,
            meeting__status=MeetingStatus.CLOSED,
            passed=True,
            award_level__isnull=False,
            application__status__in=HOLDING_STATUSES,
        )
        .exclude(meeting=meeting)
        .exclude(application_id__in=here)
        .order_by("meeting__closed_at")
        .values_list("application_id", "award_level_id")
    )
    holding.update(earlier)  # the latest meeting's decision wins
    holding.update(
        Application.objects.filter(
            cycle=meeting.cycle,
            status__in=(ApplicationStatus.PUBLIC_NOTICE, ApplicationStatus.AWARDED),
            award_level__isnull=False,
        )
        .exclude(pk__in=here)
        .values_list("pk", "award_level_id")
    )
    return Counter(holding.values())


def meeting_level_allocation(meeting: Meeting, taken: Counter | None = None) -> decisions.LevelAllocation:
    """Award levels for the meeting's passing candidates by rank (ties returned, never resolved),
    within what each level's quota leaves after the places already held (see places_taken)."""
    passed = list(meeting.ballots.filter(passed=True).only("pk", "rank", "tie_order"))
    taken = places_taken(meeting) if taken is None else taken
    levels = [
        decisions.Level(level.pk, max(level.quota - taken[level.pk], 0))
        for level in meeting.cycle.levels.order_by("rank")
    ]
    return decisions.allocate_levels([decisions.Candidate(b.pk, b.rank, b.tie_order) for b in passed], levels)


def notice_is_open(notice: PublicNotice, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return notice.starts_on <= today <= notice.ends_on

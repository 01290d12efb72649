"""Writes for the committee. Each checks permission, changes state conditionally in a transaction,
audits in the same transaction and queues mails and tasks after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import ApplicationStatus, CycleStatus, StageKind
from awards.models import Application, AwardCycle, AwardLevel, CycleStage
from awards.services import application_notify_members, application_transition, cycle_transition
from awards.workflow import cycle_transition_allowed
from certificates.services import certificates_issue_for_cycle
from core import ratelimit, workdays
from core.audit import audit_record
from core.enums import AuditEventType
from core.errors import Conflict, NotAllowed
from core.mail import mail_queue
from core.models import User
from core.outbox import outbox_add_task
from core.rules import require
from core.text import visible_text
from core.uploads import discard_stored, store_upload, validate_upload
from reviews.enums import RankingBasis
from reviews.health_selectors import review_health
from reviews.selectors import cycle_ranking

from . import decisions, pdf
from .enums import BallotStatus, MeetingStatus, ObjectionStatus, VoteChoice
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
from .selectors import (
    attendance_now,
    ballot_tally,
    committee_member_ids,
    meeting_level_allocation,
    notice_is_open,
    places_taken,
    present_member_ids,
    quorum_now,
)

OBJECTIONS_PER_HOUR = 5

# The cycle statuses in which its committee may meet (meeting_open moves the cycle to deliberation).
CYCLE_MEETS = frozenset({CycleStatus.OPEN, CycleStatus.REVIEWING, CycleStatus.DELIBERATION, CycleStatus.PUBLIC_NOTICE})


def _quorum_or_refuse(meeting: Meeting) -> None:
    quorum = quorum_now(meeting)
    if not quorum.reached:
        raise NotAllowed(
            _("No quorum: %(present)s of %(members)s members are present; %(need)s are needed.")
            % {"present": quorum.present, "members": quorum.members, "need": quorum.needed},
            code="no_quorum",
        )


def _set_status(model, obj, *, old: str, new: str, **fields) -> None:
    """Conditional update: 0 rows means someone else changed the object first."""
    if model.objects.filter(pk=obj.pk, status=old).update(status=new, **fields) == 0:
        raise Conflict(_("This was changed by someone else a moment ago. Please reload the page."))
    obj.refresh_from_db()


# --- meetings -----------------------------------------------------------------------------------


def meeting_schedule(
    *,
    cycle: AwardCycle,
    by: User,
    starts_at: dt.datetime,
    place: str,
    notes: str = "",
) -> Meeting:
    """Schedule a meeting; its agenda is the cycle's nominated candidates, in the order they were nominated.

    A meeting may be scheduled before the reviews end: candidates nominated later are added with
    `meeting_agenda_sync` until the meeting opens.
    """
    require("committee.manage_meeting", by, cycle, _("You may not do this."))
    if cycle.status == CycleStatus.CONCLUDED:
        raise NotAllowed(_("This cycle is concluded: its winners are confirmed."), code="concluded")
    if Meeting.objects.filter(cycle=cycle, status__in=(MeetingStatus.SCHEDULED, MeetingStatus.OPEN)).exists():
        raise NotAllowed(
            _("This cycle already has a meeting that is not closed; reschedule, cancel or close that one first."),
            code="meeting_pending",
        )
    with transaction.atomic():
        meeting = Meeting.objects.create(cycle=cycle, starts_at=starts_at, place=place, notes=notes, created_by=by)
        added = _agenda_add_nominated(meeting)
        audit_record(
            event=AuditEventType.MEETING_SCHEDULED,
            obj=meeting,
            by=by,
            payload={"starts_at": starts_at, "agenda": added},
        )
    return meeting


def _agenda_add_nominated(meeting: Meeting) -> list[int]:
    """Put newly nominated candidates on the agenda, in the order of the expert ranking (combined
    score; candidates without a score after, by nomination), numbered after those already there.
    The secretary may change the order afterwards (`ballot_ranks_set`)."""
    on_agenda = set(meeting.ballots.values_list("application_id", flat=True))
    new = [
        a
        for a in Application.objects.filter(cycle=meeting.cycle, status=ApplicationStatus.NOMINATED).order_by(
            "status_changed_at", "pk"
        )
        if a.pk not in on_agenda
    ]
    if new:
        expert_order = {
            r.application.pk: i for i, r in enumerate(cycle_ranking(cycle=meeting.cycle, basis=RankingBasis.COMBINED))
        }
        unranked = len(expert_order)
        new.sort(key=lambda a: expert_order.get(a.pk, unranked))  # stable: nomination order among unranked
    last = max(meeting.ballots.values_list("rank", flat=True), default=0)
    Ballot.objects.bulk_create(
        Ballot(meeting=meeting, application=app, rank=last + i) for i, app in enumerate(new, start=1)
    )
    return [a.pk for a in new]


def meeting_agenda_sync(*, meeting: Meeting, by: User) -> int:
    """Add candidates nominated since the meeting was scheduled. Returns how many were added."""
    require("committee.manage_meeting", by, meeting, _("You may not do this."))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise NotAllowed(_("The agenda is fixed once the meeting opens."), code="not_scheduled")
    with transaction.atomic():
        added = _agenda_add_nominated(meeting)
        if added:
            audit_record(event=AuditEventType.MEETING_AGENDA, obj=meeting, by=by, payload={"added": added})
    return len(added)


def meeting_invite(*, meeting: Meeting, by: User) -> int:
    """E-mail every committee member the date, place and agenda. Returns the number invited."""
    require("committee.manage_meeting", by, meeting, _("You may not do this."))
    if meeting.status == MeetingStatus.CLOSED:
        raise NotAllowed(_("The meeting is closed."), code="closed")
    members = User.objects.filter(pk__in=committee_member_ids(meeting.cycle)).order_by("email")
    agenda = [
        {
            "zh": b.application.name_zh or b.application.name_en,
            "en": b.application.name_en or b.application.name_zh,
        }
        for b in meeting.ballots.select_related("application__enterprise").order_by("rank", "pk")
    ]
    local = timezone.localtime(meeting.starts_at)
    context = {
        "cycle_zh": meeting.cycle.title_zh,
        "cycle_en": meeting.cycle.title_en,
        "starts_at": local.strftime("%Y-%m-%d %H:%M"),
        "place": meeting.place,
        "notes": meeting.notes,
        "agenda": agenda,
        "path": reverse("committee:meeting", args=[meeting.pk]),
    }
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(invited_at=timezone.now())
        for member in members:
            mail_queue(
                template="committee_invitation", context=context, to_user=member, programme=meeting.cycle.programme
            )
        audit_record(
            event=AuditEventType.MEETING_INVITED,
            obj=meeting,
            by=by,
            payload={"members": [m.pk for m in members]},
        )
    meeting.refresh_from_db()
    return len(members)


def _schedule_mail_context(meeting: Meeting, reason: str) -> dict:
    local = timezone.localtime(meeting.starts_at)
    return {
        "cycle_zh": meeting.cycle.title_zh,
        "cycle_en": meeting.cycle.title_en,
        "starts_at": local.strftime("%Y-%m-%d %H:%M"),
        "place": meeting.place,
        "reason": reason,
        "path": reverse("committee:meeting", args=[meeting.pk]),
    }


def meeting_reschedule(*, meeting: Meeting, by: User, starts_at: dt.datetime, place: str, reason: str) -> Meeting:
    """Move a meeting that has not opened to another time or place; every member is e-mailed the reason."""
    require("committee.manage_meeting", by, meeting, _("You may not do this."))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise NotAllowed(_("Only a meeting that has not opened can be rescheduled."), code="not_scheduled")
    if not reason.strip():
        raise NotAllowed(_("Please give the reason for the change."), code="reason_required")
    if starts_at <= timezone.now():
        raise NotAllowed(_("A meeting cannot be rescheduled into the past."), code="starts_past")
    place = place.strip() or meeting.place
    with transaction.atomic():
        before = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if before.status != MeetingStatus.SCHEDULED:
            raise Conflict(_("This was changed by someone else a moment ago. Please reload the page."))
        ScheduleChange.objects.create(
            meeting=before,
            starts_at_before=before.starts_at,
            starts_at_after=starts_at,
            place_before=before.place,
            place_after=place,
            reason=reason.strip(),
            changed_by=by,
        )
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts_at, place=place)
        meeting.refresh_from_db()
        context = _schedule_mail_context(meeting, reason.strip())
        context["starts_at_before"] = timezone.localtime(before.starts_at).strftime("%Y-%m-%d %H:%M")
        context["place_before"] = before.place
        members = User.objects.filter(pk__in=committee_member_ids(meeting.cycle)).order_by("email")
        for member in members:
            mail_queue(
                template="committee_rescheduled", context=context, to_user=member, programme=meeting.cycle.programme
            )
        audit_record(
            event=AuditEventType.MEETING_RESCHEDULED,
            obj=meeting,
            by=by,
            payload={
                "starts_at_before": before.starts_at,
                "starts_at": starts_at,
                "place_before": before.place,
                "place": place,
                "reason": reason.strip(),
                "members": [m.pk for m in members],
            },
        )
    return meeting


def meeting_cancel(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    """Cancel a meeting that has not opened; every member is e-mailed the reason. Its candidates stay
    nominated and go on the agenda of the next meeting scheduled."""
    require("committee.manage_meeting", by, meeting, _("You may not do this."))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise NotAllowed(_("Only a meeting that has not opened can be cancelled."), code="not_scheduled")
    if not reason.strip():
        raise NotAllowed(_("Please give the reason for the cancellation."), code="reason_required")
    with transaction.atomic():
        _set_status(
            Meeting,
            meeting,
            old=MeetingStatus.SCHEDULED,
            new=MeetingStatus.CANCELLED,
            cancelled_at=timezone.now(),
            cancel_reason=reason.strip(),
        )
        context = _schedule_mail_context(meeting, reason.strip())
        members = User.objects.filter(pk__in=committee_member_ids(meeting.cycle)).order_by("email")
        for member in members:
            mail_queue(
                template="committee_cancelled", context=context, to_user=member, programme=meeting.cycle.programme
            )
        audit_record(
            event=AuditEventType.MEETING_CANCELLED,
            obj=meeting,
            by=by,
            payload={"reason": reason.strip(), "members": [m.pk for m in members]},
        )
    return meeting


def meeting_open(*, meeting: Meeting, by: User) -> Meeting:
    require("committee.manage_meeting", by, meeting, _("You may not do this."))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise NotAllowed(_("Only a scheduled meeting can be opened."), code="not_scheduled")
    if not meeting.ballots.exists():
        raise NotAllowed(_("There is no nominated candidate on the agenda."), code="empty_agenda")
    cycle = meeting.cycle
    cycle.refresh_from_db(fields=["status"])
    if cycle.status not in CYCLE_MEETS:
        raise NotAllowed(
            _("The committee cannot meet while the cycle is “%(status)s”.") % {"status": cycle.get_status_display()},
            code="cycle_status",
        )
    with transaction.atomic():
        _set_status(Meeting, meeting, old=MeetingStatus.SCHEDULED, new=MeetingStatus.OPEN, opened_at=timezone.now())
        # The cycle enters deliberation when its committee meets (a committee meeting again, after an
        # upheld objection, finds it in deliberation or on public notice already).
        if cycle_transition_allowed(cycle.status, CycleStatus.DELIBERATION):
            cycle_transition(cycle=cycle, to=CycleStatus.DELIBERATION, by=by, reason="meeting opened", system=True)
        audit_record(event=AuditEventType.MEETING_OPENED, obj=meeting, by=by)
    return meeting


def attendance_record(
    *, meeting: Meeting, by: User, present_ids: Iterable[int], at: dt.datetime | None = None
) -> set[int]:
    """Record who is present now: each arrival and departure is kept with its time (default now).

    Members may arrive or leave while a ballot is open; the ballot keeps who was present when it
    opened and when it closed. The time may not lie in the future, nor before the meeting opened or
    the last ballot opened or closed (what a ballot recorded must stay true)."""
    require("committee.manage_meeting", by, meeting, _("You may not do this."))
    if meeting.status != MeetingStatus.OPEN:
        raise NotAllowed(_("Attendance is recorded while the meeting is in session."), code="not_open")
    members = set(committee_member_ids(meeting.cycle))
    present = {int(i) for i in present_ids}
    if present - members:
        raise NotAllowed(_("Only members of the committee can be recorded as present."), code="not_member")
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=1):
        raise NotAllowed(_("The time of an arrival or departure cannot be in the future."), code="at_future")
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        stamps = [meeting.opened_at, *meeting.ballots.values_list("opened_at", "closed_at").order_by()]
        floor = max((t for t in _flatten(stamps) if t is not None), default=None)
        if floor is not None and at < floor:
            raise NotAllowed(
                _("The time cannot be before %(t)s (the meeting or the last ballot opened or closed then).")
                % {"t": timezone.localtime(floor).strftime("%H:%M")},
                code="at_early",
            )
        before = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "present"))
        changes = []
        for member_id in sorted(members):
            now_present = member_id in present
            Attendance.objects.update_or_create(meeting=meeting, member_id=member_id, defaults={"present": now_present})
            if before.get(member_id, False) != now_present:
                changes.append(
                    AttendanceEvent(meeting=meeting, member_id=member_id, present=now_present, at=at, recorded_by=by)
                )
        AttendanceEvent.objects.bulk_create(changes)
        audit_record(
            event=AuditEventType.MEETING_ATTENDANCE,
            obj=meeting,
            by=by,
            payload={
                "present": sorted(present),
                "members": sorted(members),
                "at": at,
                "arrived": [c.member_id for c in changes if c.present],
                "left": [c.member_id for c in changes if not c.present],
            },
        )
    return present


def _flatten(items) -> list:
    out = []
    for item in items:
        out.extend(item if isinstance(item, tuple) else [item])
    return out


def ballot_ranks_set(*, meeting: Meeting, by: User, ranks: dict[int, int]) -> None:
    """Record the candidates' rank order for the meeting (from the expert ranking); ties share a rank."""
    require("committee.manage_meeting", by, meeting, _("You may not do this."))
    if meeting.status == MeetingStatus.CLOSED:
        raise NotAllowed(_("The meeting is closed."), code="closed")
    if any(r < 1 for r in ranks.values()):
        raise NotAllowed(_("A rank is a whole number from 1."), code="bad_rank")
    with transaction.atomic():
        for ballot in meeting.ballots.filter(pk__in=ranks):
            Ballot.objects.filter(pk=ballot.pk).update(rank=ranks[ballot.pk], tie_order=None)
        audit_record(
            event=AuditEventType.MEETING_RANKS,
            obj=meeting,
            by=by,
            payload={"ranks": {str(k): v for k, v in ranks.items()}},
        )


def remark_add(
    *, meeting: Meeting, by: User, text: str, member: User | None = None, application: Application | None = None
) -> Remark:
    require("committee.manage_meeting", by, meeting, _("You may not do this."))
    if meeting.status != MeetingStatus.OPEN:
        raise NotAllowed(_("Suggestions are recorded while the meeting is in session."), code="not_open")
    if not text.strip():
        raise NotAllowed(_("Please write the suggestion or remark."), code="empty")
    with transaction.atomic():
        remark = Remark.objects.create(
            meeting=meeting, member=member, application=application, text=text.strip(), recorded_by=by
        )
        audit_record(event=AuditEventType.MEETING_REMARK, obj=meeting, by=by, payload={"id": remark.pk})
    return remark


# --- ballots and votes --------------------------------------------------------------------------


def _named(ids: Iterable[int]) -> list[dict]:
    """Members as {"id", "name"}, names as they are now (the roll keeps them as they were)."""
    users = User.objects.filter(pk__in=list(ids)).order_by("full_name", "email")
    return [{"id": u.pk, "name": u.get_full_name()} for u in users]


def ballot_open(*, ballot: Ballot, by: User) -> Ballot:
    """Open the ballot under the cycle's rule (secret or roll-call, fixed from now on) and record who is present."""
    meeting = ballot.meeting
    require("committee.manage_meeting", by, meeting, _("You may not do this."))
    if meeting.status != MeetingStatus.OPEN:
        raise NotAllowed(_("Open the meeting first."), code="not_open")
    if ballot.status != BallotStatus.PENDING:
        raise NotAllowed(_("This ballot has already been opened."), code="not_pending")
    _quorum_or_refuse(meeting)
    with transaction.atomic():
        secret = AwardCycle.objects.values_list("secret_ballot", flat=True).get(pk=meeting.cycle_id)
        present = present_member_ids(meeting)
        _set_status(
            Ballot,
            ballot,
            old=BallotStatus.PENDING,
            new=BallotStatus.OPEN,
            opened_at=timezone.now(),
            secret=secret,
            roll={"present_open": _named(present)},
        )
        audit_record(
            event=AuditEventType.BALLOT_OPENED,
            obj=ballot,
            by=by,
            payload={"secret": secret, "present": sorted(present)},
        )
    return ballot


def vote_cast(*, ballot: Ballot, by: User, choice: str) -> Vote | None:
    """Cast a vote while the ballot is open.

    Roll-call: one Vote row per member (DB constraint), changeable until the close. Secret ballot:
    the member is recorded as having voted (BallotVoter) and, separately, an anonymous SecretChoice
    without member or time; a second vote is refused and nothing changes. Returns the Vote (roll-call)
    or None (secret)."""
    if choice not in VoteChoice.values:
        raise NotAllowed(_("Choose approve, reject or abstain."), code="bad_choice")
    meeting = ballot.meeting
    require("committee.vote", by, meeting, _("Only members of the committee vote."))
    with transaction.atomic():
        # The row lock serialises this member's concurrent votes and a concurrent close.
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if locked.status == BallotStatus.PENDING:
            raise NotAllowed(_("This ballot is not open yet."), code="not_open")
        if locked.status == BallotStatus.CLOSED:
            raise NotAllowed(_("This ballot is closed; votes can no longer be cast or changed."), code="closed")
        if by.pk not in present_member_ids(meeting):
            raise NotAllowed(_("Only members recorded as present may vote."), code="absent")
        if Recusal.objects.filter(ballot=locked, member=by).exists():
            raise NotAllowed(_("You are recused from this candidate and may not vote."), code="recused")
        if by.enterprise_memberships.filter(enterprise__applications=locked.application_id).exists():
            raise NotAllowed(
                _("You are a member of this candidate's enterprise and may not vote on it."), code="member"
            )
        if locked.secret:
            if BallotVoter.objects.filter(ballot=locked, member=by).exists():
                raise NotAllowed(
                    _("You have already voted. Under secret ballot a vote cannot be changed."), code="already_voted"
                )
            BallotVoter.objects.create(ballot=locked, member=by)
            SecretChoice.objects.create(ballot=locked, choice=choice)
            # That the member voted, never how: nothing here or in the audit links the two.
            audit_record(event=AuditEventType.VOTE_CAST, obj=locked, by=by, payload={"secret": True})
            return None
        existing = Vote.objects.filter(ballot=locked, member=by).first()
        if existing is not None and existing.choice == choice:
            return existing  # the same vote again (a double click, a reload): nothing changes, no event
        vote, created = Vote.objects.update_or_create(ballot=locked, member=by, defaults={"choice": choice})
        BallotVoter.objects.get_or_create(ballot=locked, member=by)
        audit_record(
            event=AuditEventType.VOTE_CAST,
            obj=locked,
            by=by,
            # Roll-call only: only administrators read audit payloads; the choice makes a changed vote traceable.
            payload={"choice": choice, "changed": not created},
        )
    return vote


def recusal_record(*, ballot: Ballot, member: User, by: User, reason: str) -> Recusal:
    """A member declares a conflict, or the secretary records it. A roll-call vote already cast is
    withdrawn; a secret vote cannot be (nobody knows which it was), so a recusal after it is refused."""
    meeting = ballot.meeting
    if by.pk != member.pk:
        require("committee.manage_meeting", by, meeting, _("You may not do this."))
    else:
        require("committee.vote", by, meeting, _("Only members of the committee declare a conflict."))
    if member.pk not in committee_member_ids(meeting.cycle):
        raise NotAllowed(_("Only members of the committee can be recused."), code="not_member")
    if not reason.strip():
        raise NotAllowed(_("Please give the reason for the recusal."), code="reason_required")
    with transaction.atomic():
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if locked.status == BallotStatus.CLOSED:
            raise NotAllowed(_("This ballot is closed."), code="closed")
        if locked.secret and BallotVoter.objects.filter(ballot=locked, member=member).exists():
            raise NotAllowed(
                _(
                    "This member has already cast a secret vote, which cannot be withdrawn; "
                    "declare a conflict before voting."
                ),
                code="voted_secret",
            )
        recusal, created = Recusal.objects.get_or_create(
            ballot=locked, member=member, defaults={"reason": reason.strip(), "recorded_by": by}
        )
        withdrawn = Vote.objects.filter(ballot=locked, member=member).delete()[0]
        BallotVoter.objects.filter(ballot=locked, member=member).delete()
        if created:
            audit_record(
                event=AuditEventType.BALLOT_RECUSAL,
                obj=locked,
                by=by,
                payload={"member": member.pk, "reason": reason.strip(), "vote_withdrawn": bool(withdrawn)},
            )
    return recusal


def ballot_close(*, ballot: Ballot, by: User, confirm_incomplete: bool = False) -> Ballot:
    """Close the ballot and store its outcome: the count, the base and threshold in force, who was
    present at the opening and now, who was recused (with the reason), who voted and who did not.
    The candidate moves to approved or not approved. Closing before every eligible member has voted
    needs `confirm_incomplete`; those who did not vote are recorded."""
    meeting = ballot.meeting
    require("committee.manage_meeting", by, meeting, _("You may not do this."))
    with transaction.atomic():
        locked = Ballot.objects.select_for_update().select_related("application").get(pk=ballot.pk)
        if locked.status != BallotStatus.OPEN:
            raise NotAllowed(_("Only an open ballot can be closed."), code="not_open")
        _quorum_or_refuse(meeting)
        tally = ballot_tally(locked)
        ids = tally.pop("_ids")
        missing = ids["eligible"] - ids["voters"]
        if missing and not confirm_incomplete:
            raise NotAllowed(
                _(
                    "%(x)s of %(y)s eligible members have voted. Confirm to close the ballot and record the "
                    "others as not voting."
                )
                % {"x": tally["voted"], "y": tally["eligible"]},
                code="incomplete",
            )
        passed = decisions.ballot_passes(
            approvals=tally["approvals"],
            base=tally["base"],
            numerator=tally["pass_numerator"],
            denominator=tally["pass_denominator"],
        )
        reasons = dict(Recusal.objects.filter(ballot=locked).values_list("member_id", "reason"))
        roll = {
            **locked.roll,
            "present_close": _named(ids["present"]),
            "recused": [{**m, "reason": reasons[m["id"]]} for m in _named(ids["recused"])],
            "voted": _named(ids["voters"] & ids["eligible"]),
            "not_voted": _named(missing),
        }
        _set_status(
            Ballot,
            locked,
            old=BallotStatus.OPEN,
            new=BallotStatus.CLOSED,
            closed_at=timezone.now(),
            passed=passed,
            roll=roll,
            **tally,
        )
        audit_record(
            event=AuditEventType.BALLOT_CLOSED,
            obj=locked,
            by=by,
            payload={**tally, "passed": passed, "not_voted": sorted(missing)},
        )
        application_transition(
            application=locked.application,
            to_status=ApplicationStatus.APPROVED if passed else ApplicationStatus.NOT_APPROVED,
            by=by,
            comment=_("Committee vote: %(a)s approvals against a base of %(b)s; %(pn)s/%(pd)s needed.")
            % {
                "a": tally["approvals"],
                "b": tally["base"],
                "pn": tally["pass_numerator"],
                "pd": tally["pass_denominator"],
            },
            payload={"ballot": locked.pk},
        )
    ballot.refresh_from_db()
    return ballot


def ballot_tie_decide(*, meeting: Meeting, by: User, order: dict[int, int]) -> None:
    """Record the committee's explicit decision on a tie: the order of the tied candidates (1 first)."""
    require("committee.manage_meeting", by, meeting, _("You may not do this."))
    if meeting.status != MeetingStatus.OPEN:
        raise NotAllowed(_("Ties are decided while the meeting is in session."), code="not_open")
    if sorted(order.values()) != list(range(1, len(order) + 1)):
        raise NotAllowed(_("Give each tied candidate a different place: 1, 2, 3 …"), code="bad_order")
    with transaction.atomic():
        for ballot_id, place in order.items():
            meeting.ballots.filter(pk=ballot_id).update(tie_order=place)
        audit_record(
            event=AuditEventType.MEETING_TIE_DECIDED,
            obj=meeting,
            by=by,
            payload={"order": {str(k): v for k, v in order.items()}},
        )


def meeting_close(*, meeting: Meeting, by: User) -> Meeting:
    """Close the meeting: every ballot closed, levels assigned without an open tie; render the minutes."""
    require("committee.manage_meeting", by, meeting, _("You may not do this."))
    if meeting.status != MeetingStatus.OPEN:
        raise NotAllowed(_("Only a meeting in session can be closed."), code="not_open")
    if meeting.ballots.exclude(status=BallotStatus.CLOSED).exists():
        raise NotAllowed(_("Close every ballot before closing the meeting."), code="ballots_open")
    taken = places_taken(meeting)
    allocation = meeting_level_allocation(meeting, taken)
    if not allocation.complete:
        raise NotAllowed(
            _("A tie at a quota boundary needs the committee's decision before the meeting closes."), code="tie"
        )
    levels = list(meeting.cycle.levels.order_by("rank"))
    quotas = {level.pk: level.quota for level in levels}
    record = [
        {
            "id": level.pk,
            "code": level.code,
            "name_zh": level.name_zh,
            "name_en": level.name_en,
            "rank": level.rank,
            "quota": level.quota,
            "taken": taken[level.pk],
            "vacant": allocation.vacancies.get(level.pk, 0),
        }
        for level in levels
    ]
    attendance = {
        "members": [asdict(row) for row in attendance_now(meeting)],
        "quorum": asdict(quorum_now(meeting)),
    }

    health = review_health(cycle=meeting.cycle)
    with transaction.atomic():
        _set_status(
            Meeting,
            meeting,
            old=MeetingStatus.OPEN,
            new=MeetingStatus.CLOSED,
            closed_at=timezone.now(),
            levels_record=record,
            attendance_record=attendance,
            health_record=health,
        )
        for ballot in meeting.ballots.select_related("application"):
            level_id = allocation.levels.get(ballot.pk)
            Ballot.objects.filter(pk=ballot.pk).update(award_level_id=level_id, level_quota=quotas.get(level_id))
            if ballot.passed and level_id is None and ballot.application.status == ApplicationStatus.APPROVED:
                application_transition(
                    application=ballot.application,
                    to_status=ApplicationStatus.NOT_APPROVED,
                    by=by,
                    comment=_("Passed the vote, but no place was left within the award quotas."),
                    payload={"ballot": ballot.pk},
                )
        audit_record(
            event=AuditEventType.MEETING_CLOSED,
            obj=meeting,
            by=by,
            payload={
                "levels": {str(k): v for k, v in allocation.levels.items()},
                "vacancies": {str(k): v for k, v in allocation.vacancies.items()},
            },
        )
        _queue("render_minutes", meeting)
    return meeting


def _queue(task_name: str, meeting: Meeting) -> None:
    """An outbox row in the current transaction: the PDF is rendered once it commits."""
    outbox_add_task(
        task_name=f"committee.tasks.{task_name}", kwargs={"meeting_id": meeting.pk}, cycle_id=meeting.cycle_id
    )


def meeting_report_request(*, meeting: Meeting, by: User) -> None:
    """Queue the meeting report's PDF rendering."""
    require("committee.view_meeting", by, meeting, _("You may not do this."))
    with transaction.atomic():
        _queue("render_report", meeting)


# --- public notice, objections, confirmation -----------------------------------------------------


def decided_level_fields(level_id: int | None, record: list[dict[str, Any]]) -> dict[str, Any]:
    """An application's level as the meeting decided it: the level and its names as stored at the close
    (Meeting.levels_record), so a level renamed later keeps the name under which it was awarded."""
    if level_id is None:
        return {"award_level_id": None, "record_level_zh": "", "record_level_en": ""}
    entry = next((e for e in record or [] if e.get("id") == level_id), None)
    if entry is None:  # a meeting closed before the levels were stored: the names as they are now
        level = AwardLevel.objects.get(pk=level_id)
        entry = {"name_zh": level.name_zh, "name_en": level.name_en}
    return {"award_level_id": level_id, "record_level_zh": entry["name_zh"], "record_level_en": entry["name_en"]}


def notice_publish(*, cycle: AwardCycle, by: User, starts_on: dt.date | None = None) -> PublicNotice:
    """Publish the approved candidates, with the level the committee assigned, for the notice period."""
    require("committee.manage_meeting", by, cycle, _("You may not do this."))
    if Meeting.objects.filter(cycle=cycle, status=MeetingStatus.OPEN).exists():
        raise NotAllowed(_("Close the committee meeting first."), code="meeting_open")
    cycle.refresh_from_db(fields=["status"])
    if cycle.status not in (CycleStatus.DELIBERATION, CycleStatus.PUBLIC_NOTICE):
        raise NotAllowed(
            _("A notice is published after the committee's deliberation; the cycle is “%(status)s”.")
            % {"status": cycle.get_status_display()},
            code="cycle_status",
        )
    approved = list(
        Application.objects.filter(cycle=cycle, status=ApplicationStatus.APPROVED).select_related("enterprise")
    )
    if not approved:
        raise NotAllowed(_("There is no approved candidate to publish."), code="none_approved")
    starts_on = starts_on or timezone.localdate()
    # Counted as the cycle says (calendar days, or working days by the official holiday calendar)
    # and stored with the notice: the page says how, and a later change of the setting moves nothing.
    period = workdays.period(starts_on, cycle.public_notice_days, cycle.public_notice_day_count)
    ends_on = period.ends_on
    decided = Ballot.objects.filter(
        application__in=approved, meeting__status=MeetingStatus.CLOSED, passed=True
    ).order_by("meeting__closed_at")
    levels: dict[int, dict[str, Any]] = {}
    for app_id, level_id, record in decided.values_list("application_id", "award_level_id", "meeting__levels_record"):
        levels[app_id] = decided_level_fields(level_id, record)
    with transaction.atomic():
        notice = PublicNotice.objects.create(
            cycle=cycle,
            starts_on=starts_on,
            ends_on=ends_on,
            length=period.length,
            day_count=period.day_count,
            published_by=by,
        )
        # The public timeline shows the notice as published.
        CycleStage.objects.filter(cycle=cycle, kind=StageKind.PUBLIC_NOTICE).update(
            starts_on=starts_on, ends_on=ends_on, length=period.length, day_count=period.day_count
        )
        notice.applications.set(approved)
        for app in approved:
            application_transition(
                application=app,
                to_status=ApplicationStatus.PUBLIC_NOTICE,
                by=by,
                extra_fields=levels.get(app.pk) or decided_level_fields(None, []),
                payload={"notice": notice.pk},
            )
        period = {"public_notice_start": starts_on, "public_notice_end": ends_on}
        if cycle.status == CycleStatus.PUBLIC_NOTICE:  # a further notice (after an upheld objection)
            AwardCycle.objects.filter(pk=cycle.pk).update(**period)
        else:
            cycle_transition(
                cycle=cycle,
                to=CycleStatus.PUBLIC_NOTICE,
                by=by,
                reason="notice published",
                extra_fields=period,
                system=True,
            )
        audit_record(
            event=AuditEventType.NOTICE_PUBLISHED,
            obj=notice,
            by=by,
            payload={"applications": [a.pk for a in approved], "ends_on": ends_on},
        )
        # The chain's head at publication goes to a witness outside the database (core/witness.py).
        outbox_add_task(task_name="core.tasks.audit_witness", kwargs={"reason": f"notice {notice.pk} published"})
    return notice


def notice_period_change(*, notice: PublicNotice, by: User, ends_on: dt.date, reason: str) -> PublicNotice:
    """Extend or shorten a published notice period, with a reason shown on the notice page.

    Not below the cycle's legal minimum, not to a day already past (objections could have been
    lodged), and not once the winners are confirmed."""
    cycle = notice.cycle
    require("committee.manage_meeting", by, cycle, _("You may not do this."))
    if GovernmentApproval.objects.filter(cycle=cycle).exists():
        raise NotAllowed(_("The winners are confirmed: the notice period can no longer change."), code="confirmed")
    if not reason.strip():
        raise NotAllowed(_("Please give the reason for the change."), code="reason_required")
    if ends_on == notice.ends_on:
        raise NotAllowed(_("This is the current end of the notice period."), code="unchanged")
    minimum = workdays.period(notice.starts_on, cycle.min_notice_days, notice.day_count).ends_on
    if ends_on < minimum:
        if notice.day_count == workdays.WORKING:
            text = _("The notice must run at least %(n)s working days, that is until %(day)s or later.")
        else:
            text = _("The notice must run at least %(n)s days, that is until %(day)s or later.")
        raise NotAllowed(text % {"n": cycle.min_notice_days, "day": minimum}, code="below_minimum")
    if ends_on < timezone.localdate():
        raise NotAllowed(_("The notice period cannot end on a day already past."), code="ends_past")
    with transaction.atomic():
        before = PublicNotice.objects.select_for_update().get(pk=notice.pk)
        NoticePeriodChange.objects.create(
            notice=before, ends_on_before=before.ends_on, ends_on_after=ends_on, reason=reason.strip(), changed_by=by
        )
        PublicNotice.objects.filter(pk=notice.pk).update(ends_on=ends_on)
        CycleStage.objects.filter(cycle=cycle, kind=StageKind.PUBLIC_NOTICE).update(ends_on=ends_on, length=None)
        AwardCycle.objects.filter(pk=cycle.pk, status=CycleStatus.PUBLIC_NOTICE).update(public_notice_end=ends_on)
        audit_record(
            event=AuditEventType.NOTICE_PERIOD_CHANGED,
            obj=notice,
            by=by,
            payload={
                "ends_on_before": before.ends_on,
                "ends_on": ends_on,
                "reason": reason.strip(),
            },
        )
    notice.refresh_from_db()
    return notice


def objection_lodge(
    *,
    notice: PublicNotice,
    application: Application,
    name: str,
    contact: str,
    reasons: str,
    evidence=None,
    ip: str | None = None,
) -> Objection:
    """Anyone may object during the period, under their real name; anonymous ones are refused."""
    if not notice_is_open(notice):
        raise NotAllowed(
            _("Objections are accepted from %(start)s to %(end)s only.")
            % {"start": notice.starts_on, "end": notice.ends_on},
            code="period",
        )
    name = visible_text(name)  # a zero-width space is not a name
    if not name or not contact.strip():
        raise NotAllowed(_("Anonymous objections are not accepted: give your real name and a contact."), code="anon")
    if not reasons.strip():
        raise NotAllowed(_("Please state the facts and reasons of your objection."), code="reasons")
    if not notice.applications.filter(pk=application.pk).exists():
        raise NotAllowed(_("This candidate is not on the public notice."), code="not_listed")
    # Counted and checked in one step, so parallel submissions cannot all pass.
    if ratelimit.exceeded("objections", ip, limit=OBJECTIONS_PER_HOUR, window=3600):
        raise NotAllowed(
            _("Too many objections from your network address in the last hour. Please try again later."),
            code="rate_limited",
        )
    stored = ""
    if evidence:
        # Stored under a generated name with the extension of the type its content proves: never
        # under the objector's own file name (core.uploads).
        try:
            mime = validate_upload(evidence, max_bytes=settings.ATTACHMENT_MAX_BYTES)
            stored = store_upload(evidence, folder="committee/objections", mime=mime)
        except ValidationError as exc:
            raise NotAllowed(exc.messages[0], code=exc.code or "evidence") from exc
    try:
        with transaction.atomic():
            objection = Objection.objects.create(
                notice=notice,
                application=application,
                name=name.strip(),
                contact=contact.strip(),
                reasons=reasons.strip(),
                evidence=stored,
                ip_address=ip,
            )
            audit_record(
                event=AuditEventType.OBJECTION_LODGED,
                obj=objection,
                by=None,
                payload={"application": application.pk},
            )
    except BaseException:
        discard_stored(stored)
        raise
    return objection


def objection_handle(*, objection: Objection, by: User, outcome: str, reply: str) -> Objection:
    """Dismiss with a reply, or uphold: the candidate goes back to the committee or the proposal is withdrawn."""
    require("committee.manage_meeting", by, objection.notice, _("You may not do this."))
    if outcome not in (ObjectionStatus.DISMISSED, ObjectionStatus.UPHELD_RETURNED, ObjectionStatus.UPHELD_WITHDRAWN):
        raise NotAllowed(_("Choose how the objection is handled."), code="bad_outcome")
    if objection.status != ObjectionStatus.OPEN:
        raise NotAllowed(_("This objection has already been handled."), code="handled")
    if not reply.strip():
        raise NotAllowed(_("Please write the reply to the objector."), code="reply_required")
    with transaction.atomic():
        _set_status(
            Objection,
            objection,
            old=ObjectionStatus.OPEN,
            new=outcome,
            reply=reply.strip(),
            handled_by=by,
            handled_at=timezone.now(),
        )
        app = objection.application
        level = app.award_level  # the level proposed on the notice (an upheld objection clears it)
        moved = outcome != ObjectionStatus.DISMISSED and app.status == ApplicationStatus.PUBLIC_NOTICE
        if moved:
            application_transition(
                application=app,
                to_status=ApplicationStatus.NOMINATED
                if outcome == ObjectionStatus.UPHELD_RETURNED
                else ApplicationStatus.NOT_APPROVED,
                by=by,
                # The enterprise reads this comment; the reply is for the objector and may name them.
                comment=_(
                    "An objection raised during the public notice was upheld; the candidate goes back to the "
                    "review committee."
                )
                if outcome == ObjectionStatus.UPHELD_RETURNED
                else _("An objection raised during the public notice was upheld; the proposal is withdrawn."),
                extra_fields=decided_level_fields(None, []),
                payload={"objection": objection.pk},
                notify=False,  # the enterprise hears of it from the objection's own mail below
            )
        audit_record(
            event=AuditEventType.OBJECTION_HANDLED,
            obj=objection,
            by=by,
            payload={"outcome": outcome, "reply": reply.strip()},
        )
        if "@" in objection.contact:
            # The objector gave an e-mail address: they receive the reply (in the site's language).
            mail_queue(
                template="objection_reply",
                to_email=objection.contact.strip(),
                cycle=objection.notice.cycle_id,
                programme=objection.notice.cycle.programme,
                context={
                    "name": objection.name,
                    "candidate": app.enterprise.official_name,
                    "outcome": outcome,
                    "reply": reply.strip(),
                    "lodged_on": timezone.localtime(objection.created_at).strftime("%Y-%m-%d"),
                },
            )
        if outcome == ObjectionStatus.DISMISSED or moved:
            # The enterprise hears the outcome in neutral words: neither the objector nor the reply.
            application_notify_members(
                application=app,
                template="objection_outcome",
                context={
                    "outcome": outcome,
                    "enterprise": app.enterprise.official_name,
                    "cycle_zh": app.cycle.title_zh,
                    "cycle_en": app.cycle.title_en,
                    "level_zh": level.name_zh if level else "",
                    "level_en": level.name_en if level else "",
                    "receipt_number": app.receipt_number or "",
                    "application_id": app.pk,
                },
            )
    return objection


def winners_confirm(*, cycle: AwardCycle, by: User, decree_number: str, decree_date: dt.date) -> list[Application]:
    """Record the government's approval and make the candidates on public notice winners."""
    require("committee.manage_meeting", by, cycle, _("You may not do this."))
    notice = PublicNotice.objects.filter(cycle=cycle).order_by("-ends_on", "-pk").first()
    if notice is None:
        raise NotAllowed(_("The proposed winners have not been published yet."), code="no_notice")
    if timezone.localdate() <= notice.ends_on:
        raise NotAllowed(
            _("The public notice runs until %(end)s; winners can be confirmed after it ends.")
            % {"end": notice.ends_on},
            code="notice_running",
        )
    open_objections = Objection.objects.filter(notice__cycle=cycle, status=ObjectionStatus.OPEN).count()
    if open_objections:
        raise NotAllowed(
            _("%(n)s objection(s) still open: handle them before confirming the winners.") % {"n": open_objections},
            code="objection_open",
        )
    if not decree_number.strip() or decree_date is None:
        raise NotAllowed(_("Give the government document's number and date."), code="decree_required")
    if decree_date <= notice.ends_on:
        raise NotAllowed(
            _("The document date cannot be before the public notice ends (%(end)s, end of day).")
            % {"end": notice.ends_on},
            code="decree_early",
        )
    winners = list(
        Application.objects.filter(cycle=cycle, status=ApplicationStatus.PUBLIC_NOTICE).select_related("award_level")
    )
    if not winners:
        raise NotAllowed(_("No candidate is on public notice."), code="none")
    if GovernmentApproval.objects.filter(cycle=cycle).exists():
        raise NotAllowed(_("The government's approval of this cycle is already recorded."), code="done")
    with transaction.atomic():
        approval = GovernmentApproval.objects.create(
            cycle=cycle, decree_number=decree_number.strip(), decree_date=decree_date, recorded_by=by
        )
        confirmed = [
            application_transition(
                application=app,
                to_status=ApplicationStatus.AWARDED,
                by=by,
                extra_fields={"award_level_id": app.award_level_id},
                payload={"decree_number": approval.decree_number, "decree_date": decree_date},
            )
            for app in winners
        ]
        cycle.refresh_from_db(fields=["status"])
        cycle_transition(cycle=cycle, to=CycleStatus.CONCLUDED, by=by, reason="winners confirmed", system=True)
        audit_record(
            event=AuditEventType.WINNERS_CONFIRMED,
            obj=approval,
            by=by,
            payload={"applications": [a.pk for a in confirmed]},
        )
        outbox_add_task(
            task_name="core.tasks.audit_witness", kwargs={"reason": f"winners of cycle {cycle.pk} confirmed"}
        )
        # The winners' certificates follow from the confirmation itself (the person confirming was
        # checked above); they are rendered by the worker once this transaction commits.
        certificates_issue_for_cycle(cycle=cycle, by=by, system=True)
    return confirmed


def meeting_pdf_render(*, meeting_id: int, kind: str) -> str:
    """Render the minutes or the report to PDF in the media storage and record it. Returns the file name."""
    meeting = Meeting.objects.select_related("cycle").get(pk=meeting_id)
    if kind == "minutes" and meeting.status != MeetingStatus.CLOSED:
        raise NotAllowed(_("Minutes are rendered once the meeting is closed."), code="not_closed")
    content = pdf.render_minutes(meeting) if kind == "minutes" else pdf.render_report(meeting)
    field = meeting.minutes_pdf if kind == "minutes" else meeting.report_pdf
    old = field.name
    with transaction.atomic():
        field.save(f"{kind}-{meeting.cycle.year}-{meeting.pk}.pdf", ContentFile(content), save=False)
        Meeting.objects.filter(pk=meeting.pk).update(
            **{f"{kind}_pdf": field.name, f"{kind}_rendered_at": timezone.now()}
        )
        rendered = (
            AuditEventType.MEETING_MINUTES_RENDERED if kind == "minutes" else AuditEventType.MEETING_REPORT_RENDERED
        )
        audit_record(event=rendered, obj=meeting, by=None)
    if old and old != field.name:
        field.storage.delete(old)
    return field.name

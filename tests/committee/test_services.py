"""Each committee service: allowed actions and refused ones (nothing changed when refused)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from awards.enums import ApplicationStatus
from awards.models import Application
from committee import selectors, services
from committee.enums import BallotStatus, MeetingStatus, ObjectionStatus
from committee.models import (
    Attendance,
    Ballot,
    BallotVoter,
    GovernmentApproval,
    Objection,
    PublicNotice,
    Recusal,
    SecretChoice,
    Vote,
)
from core.enums import AuditEventType
from core.errors import NotAllowed
from core.models import AuditEvent
from tests.factories.committee import schedule

pytestmark = pytest.mark.django_db


def test_schedule_puts_nominated_candidates_on_the_agenda(meeting, candidates):
    ballots = list(meeting.ballots.order_by("rank"))
    assert [b.application_id for b in ballots] == [c.pk for c in candidates]
    assert [b.rank for b in ballots] == [1, 2]
    assert meeting.status == MeetingStatus.SCHEDULED


def test_schedule_before_nominations_then_sync_agenda(cycle, secretary, committee_member, members):
    from tests.factories.committee import nominated_application, schedule

    with pytest.raises(PermissionDenied):
        schedule(cycle, committee_member)
    meeting = schedule(cycle, secretary)
    assert not meeting.ballots.exists()
    with pytest.raises(NotAllowed) as e:
        services.meeting_open(meeting=meeting, by=secretary)
    assert e.value.code == "empty_agenda"
    with pytest.raises(NotAllowed):
        schedule(cycle, secretary)  # one meeting at a time
    app = nominated_application(cycle)
    assert services.meeting_agenda_sync(meeting=meeting, by=secretary) == 1
    assert services.meeting_agenda_sync(meeting=meeting, by=secretary) == 0
    assert list(meeting.ballots.values_list("application_id", flat=True)) == [app.pk]
    services.meeting_open(meeting=meeting, by=secretary)
    with pytest.raises(NotAllowed):
        services.meeting_agenda_sync(meeting=meeting, by=secretary)


def test_invite_mails_every_member_with_the_agenda(meeting, secretary, members, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        n = services.meeting_invite(meeting=meeting, by=secretary)
    assert n == 7 and len(mail.outbox) == 7
    assert "市政府第一会议室" in mail.outbox[0].body
    assert "郴州甲企业有限公司" in mail.outbox[0].body
    meeting.refresh_from_db()
    assert meeting.invited_at is not None


def test_members_may_not_invite_or_open(meeting, committee_member):
    with pytest.raises(PermissionDenied):
        services.meeting_invite(meeting=meeting, by=committee_member)
    with pytest.raises(PermissionDenied):
        services.meeting_open(meeting=meeting, by=committee_member)


def test_attendance_and_quorum_boundary(meeting, secretary, members):
    type(meeting.cycle).objects.filter(pk=meeting.cycle_id).update(status="reviewing")
    services.meeting_open(meeting=meeting, by=secretary)
    meeting.cycle.refresh_from_db()
    assert meeting.cycle.status == "deliberation"
    services.attendance_record(meeting=meeting, by=secretary, present_ids=[u.pk for u in members[:4]])
    ballot = meeting.ballots.first()
    with pytest.raises(NotAllowed) as e:
        services.ballot_open(ballot=ballot, by=secretary)
    assert e.value.code == "no_quorum" and "5" in e.value.message
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.PENDING
    services.attendance_record(meeting=meeting, by=secretary, present_ids=[u.pk for u in members[:5]])
    assert services.ballot_open(ballot=ballot, by=secretary).status == BallotStatus.OPEN
    assert Attendance.objects.filter(meeting=meeting).count() == 7


def test_attendance_refused_for_non_members_and_before_the_open_ballot(open_ballot, secretary, expert, members):
    meeting = open_ballot.meeting
    with pytest.raises(NotAllowed):
        services.attendance_record(meeting=meeting, by=secretary, present_ids=[expert.pk])
    # An arrival may not be dated before the ballot that is open (what it recorded must stay true) …
    with pytest.raises(NotAllowed) as e:
        services.attendance_record(
            meeting=meeting,
            by=secretary,
            present_ids=[u.pk for u in members],
            at=open_ballot.opened_at - dt.timedelta(minutes=5),
        )
    assert e.value.code == "at_early"
    with pytest.raises(NotAllowed) as e:
        services.attendance_record(
            meeting=meeting,
            by=secretary,
            present_ids=[u.pk for u in members],
            at=timezone.now() + dt.timedelta(hours=1),
        )
    assert e.value.code == "at_future"
    assert Attendance.objects.filter(meeting=meeting, present=True).count() == 5
    # … but members may arrive while it is open, and the arrival is kept with its time.
    services.attendance_record(meeting=meeting, by=secretary, present_ids=[u.pk for u in members[:6]])
    assert Attendance.objects.filter(meeting=meeting, present=True).count() == 6
    event = meeting.attendance_events.get(member=members[5])
    assert event.present is True and event.at >= open_ballot.opened_at


def test_vote_before_open_refused(open_meeting, members):
    ballot = open_meeting.ballots.first()
    with pytest.raises(NotAllowed) as e:
        services.vote_cast(ballot=ballot, by=members[0], choice="approve")
    assert e.value.code == "not_open"
    assert not Vote.objects.exists()


def test_roll_call_vote_twice_changes_the_vote_one_row(roll_call_ballot, members):
    services.vote_cast(ballot=roll_call_ballot, by=members[0], choice="approve")
    services.vote_cast(ballot=roll_call_ballot, by=members[0], choice="reject")
    assert list(Vote.objects.values_list("choice", flat=True)) == ["reject"]
    assert BallotVoter.objects.filter(ballot=roll_call_ballot).count() == 1


def test_secret_vote_twice_refused_nothing_changes(open_ballot, members):
    assert open_ballot.secret is True  # the default
    assert services.vote_cast(ballot=open_ballot, by=members[0], choice="approve") is None
    with pytest.raises(NotAllowed) as e:
        services.vote_cast(ballot=open_ballot, by=members[0], choice="reject")
    assert e.value.code == "already_voted"
    assert list(SecretChoice.objects.values_list("choice", flat=True)) == ["approve"]
    assert BallotVoter.objects.filter(ballot=open_ballot, member=members[0]).count() == 1
    assert not Vote.objects.exists()


def test_a_superuser_without_a_committee_seat_may_not_vote_but_runs_the_meeting(open_ballot, admin_user):
    # Rights come from roles: the administrator is office (manage_meeting), never a member (vote).
    with pytest.raises(PermissionDenied):
        services.vote_cast(ballot=open_ballot, by=admin_user, choice="approve")
    assert not BallotVoter.objects.filter(ballot=open_ballot).exists()
    assert not SecretChoice.objects.exists()
    services.ballot_close(ballot=open_ballot, by=admin_user, confirm_incomplete=True)
    open_ballot.refresh_from_db()
    assert open_ballot.status == BallotStatus.CLOSED


def test_vote_refused_when_absent_recused_or_not_member(open_ballot, members, secretary, expert, applicant_a):
    with pytest.raises(NotAllowed) as e:
        services.vote_cast(ballot=open_ballot, by=members[6], choice="approve")  # absent
    assert e.value.code == "absent"
    services.recusal_record(ballot=open_ballot, member=members[1], by=members[1], reason="曾任该企业顾问")
    with pytest.raises(NotAllowed) as e:
        services.vote_cast(ballot=open_ballot, by=members[1], choice="approve")
    assert e.value.code == "recused"
    for outsider in (expert, applicant_a, secretary):
        with pytest.raises(PermissionDenied):
            services.vote_cast(ballot=open_ballot, by=outsider, choice="approve")
    with pytest.raises(NotAllowed):
        services.vote_cast(ballot=open_ballot, by=members[0], choice="maybe")
    assert not Vote.objects.exists()


def test_a_member_of_the_candidates_enterprise_may_not_vote_on_it(open_ballot, members):
    from tests.factories.enterprises import MembershipFactory

    MembershipFactory(enterprise=open_ballot.application.enterprise, user=members[2])
    with pytest.raises(NotAllowed) as e:
        services.vote_cast(ballot=open_ballot, by=members[2], choice="approve")
    assert e.value.code == "member"
    assert not Vote.objects.exists()


def test_recusal_after_a_secret_vote_refused(open_ballot, members, secretary):
    services.vote_cast(ballot=open_ballot, by=members[2], choice="approve")
    with pytest.raises(NotAllowed) as e:
        services.recusal_record(ballot=open_ballot, member=members[2], by=secretary, reason="亲属在该企业任职")
    assert e.value.code == "voted_secret"
    assert not Recusal.objects.exists() and SecretChoice.objects.count() == 1


def test_recusal_withdraws_a_roll_call_vote_and_secretary_may_record_it(
    roll_call_ballot, members, secretary, committee_member
):
    open_ballot = roll_call_ballot
    services.vote_cast(ballot=open_ballot, by=members[2], choice="approve")
    services.recusal_record(ballot=open_ballot, member=members[2], by=secretary, reason="亲属在该企业任职")
    assert not Vote.objects.filter(member=members[2]).exists()
    assert not BallotVoter.objects.filter(member=members[2]).exists()
    assert Recusal.objects.get(member=members[2]).recorded_by == secretary
    with pytest.raises(PermissionDenied):
        services.recusal_record(ballot=open_ballot, member=members[3], by=committee_member, reason="x")
    with pytest.raises(NotAllowed):
        services.recusal_record(ballot=open_ballot, member=members[3], by=members[3], reason=" ")


def _vote(ballot, members, choices):
    for member, choice in zip(members, choices, strict=False):
        services.vote_cast(ballot=ballot, by=member, choice=choice)


def test_close_four_of_five_passes_and_approves(open_ballot, members, secretary):
    _vote(open_ballot, members, ["approve"] * 4 + ["reject"])
    ballot = services.ballot_close(ballot=open_ballot, by=secretary)
    assert ballot.passed is True
    assert (ballot.approvals, ballot.rejections, ballot.abstentions, ballot.present) == (4, 1, 0, 5)
    assert ballot.application.status == ApplicationStatus.APPROVED


def test_close_three_of_five_fails_abstentions_count_as_voting(open_ballot, members, secretary):
    _vote(open_ballot, members, ["approve"] * 3 + ["abstain", "abstain"])
    ballot = services.ballot_close(ballot=open_ballot, by=secretary)
    assert ballot.passed is False
    ballot.application.refresh_from_db()
    assert ballot.application.status == ApplicationStatus.NOT_APPROVED


def test_recused_members_are_not_in_the_denominator(open_ballot, members, secretary):
    services.recusal_record(ballot=open_ballot, member=members[4], by=members[4], reason="同单位")
    _vote(open_ballot, members, ["approve"] * 3 + ["reject"])  # 3 of 4 voting: 9 >= 8
    assert services.ballot_close(ballot=open_ballot, by=secretary).passed is True


def test_vote_after_close_refused_and_close_twice_refused(open_ballot, members, secretary):
    _vote(open_ballot, members, ["approve"] * 5)
    services.ballot_close(ballot=open_ballot, by=secretary)
    with pytest.raises(NotAllowed) as e:
        services.vote_cast(ballot=open_ballot, by=members[0], choice="reject")
    assert e.value.code == "closed"
    with pytest.raises(NotAllowed):
        services.ballot_close(ballot=open_ballot, by=secretary)
    assert SecretChoice.objects.filter(choice="approve").count() == 5


def test_close_without_quorum_refused(open_ballot, members, secretary):
    # The quorum can be lost only if the committee grows after attendance: add two members.
    from tests.factories.committee import committee_of

    committee_of(open_ballot.meeting.cycle, 9, existing=members)
    with pytest.raises(NotAllowed) as e:
        services.ballot_close(ballot=open_ballot, by=secretary)
    assert e.value.code == "no_quorum"
    open_ballot.refresh_from_db()
    assert open_ballot.status == BallotStatus.OPEN


def test_member_may_not_close(open_ballot, committee_member):
    with pytest.raises(PermissionDenied):
        services.ballot_close(ballot=open_ballot, by=committee_member)


def _run_all(meeting, members, secretary, approvals=(5, 5)):
    for ballot, n in zip(meeting.ballots.order_by("rank"), approvals, strict=True):
        services.ballot_open(ballot=ballot, by=secretary)
        _vote(ballot, members, ["approve"] * n + ["reject"] * (5 - n))
        services.ballot_close(ballot=ballot, by=secretary)


def test_close_meeting_assigns_levels_and_renders_minutes(
    open_meeting, members, secretary, cycle, django_capture_on_commit_callbacks
):
    _run_all(open_meeting, members, secretary)
    services.remark_add(meeting=open_meeting, by=secretary, text="建议加强质量品牌宣传。", member=members[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_close(meeting=open_meeting, by=secretary)
    open_meeting.refresh_from_db()
    assert open_meeting.status == MeetingStatus.CLOSED
    assert open_meeting.minutes_pdf.name.endswith(".pdf")
    mayor = cycle.levels.get(code="mayor")
    assert set(open_meeting.ballots.values_list("award_level", flat=True)) == {mayor.pk}


def test_close_meeting_refused_with_ballot_open_or_tie(open_meeting, members, secretary, cycle):
    first, second = open_meeting.ballots.order_by("rank")
    services.ballot_open(ballot=first, by=secretary)
    with pytest.raises(NotAllowed):
        services.meeting_close(meeting=open_meeting, by=secretary)
    _vote(first, members, ["approve"] * 5)
    services.ballot_close(ballot=first, by=secretary)
    services.ballot_open(ballot=second, by=secretary)
    _vote(second, members, ["approve"] * 5)
    services.ballot_close(ballot=second, by=secretary)
    cycle.levels.filter(code="mayor").update(quota=1)
    services.ballot_ranks_set(meeting=open_meeting, by=secretary, ranks={first.pk: 1, second.pk: 1})
    with pytest.raises(NotAllowed) as e:
        services.meeting_close(meeting=open_meeting, by=secretary)
    assert e.value.code == "tie"
    with pytest.raises(NotAllowed):
        services.ballot_tie_decide(meeting=open_meeting, by=secretary, order={first.pk: 1, second.pk: 1})
    services.ballot_tie_decide(meeting=open_meeting, by=secretary, order={first.pk: 2, second.pk: 1})
    services.meeting_close(meeting=open_meeting, by=secretary)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.award_level.code == "mayor" and first.award_level.code == "nomination"


def _published(open_meeting, members, secretary, cycle, starts_on=None):
    _run_all(open_meeting, members, secretary)
    services.meeting_close(meeting=open_meeting, by=secretary)
    return services.notice_publish(cycle=cycle, by=secretary, starts_on=starts_on)


def test_publish_notice(open_meeting, members, secretary, cycle, candidates):
    notice = _published(open_meeting, members, secretary, cycle)
    assert notice.ends_on - notice.starts_on == dt.timedelta(days=6)
    for app in candidates:
        app.refresh_from_db()
        assert app.status == ApplicationStatus.PUBLIC_NOTICE and app.award_level.code == "mayor"
    with pytest.raises(NotAllowed):
        services.notice_publish(cycle=cycle, by=secretary)


def test_objection_lodge_and_refusals(open_meeting, members, secretary, cycle, candidates):
    notice = _published(open_meeting, members, secretary, cycle)
    kw = {"notice": notice, "application": candidates[0], "reasons": "该企业去年发生质量事故。", "ip": "10.0.0.1"}
    with pytest.raises(NotAllowed) as e:
        services.objection_lodge(name="", contact="13800000000", **kw)
    assert e.value.code == "anon"
    with pytest.raises(NotAllowed):
        services.objection_lodge(name="张三", contact=" ", **kw)
    for _ in range(services.OBJECTIONS_PER_HOUR):
        services.objection_lodge(name="张三", contact="13800000000", **kw)
    with pytest.raises(NotAllowed) as e:
        services.objection_lodge(name="张三", contact="13800000000", **kw)
    assert e.value.code == "rate_limited"
    assert Objection.objects.count() == services.OBJECTIONS_PER_HOUR


def test_objection_after_period_refused(open_meeting, members, secretary, cycle, candidates):
    notice = _published(open_meeting, members, secretary, cycle, starts_on=timezone.localdate() - dt.timedelta(10))
    with pytest.raises(NotAllowed) as e:
        services.objection_lodge(
            notice=notice, application=candidates[0], name="张三", contact="a@b.cn", reasons="理由", ip="10.0.0.2"
        )
    assert e.value.code == "period"


def test_objection_handling_outcomes(open_meeting, members, secretary, cycle, candidates, committee_member):
    notice = _published(open_meeting, members, secretary, cycle)
    kw = {"notice": notice, "name": "张三", "contact": "a@b.cn", "reasons": "理由", "ip": "10.0.0.3"}
    o1 = services.objection_lodge(application=candidates[0], **kw)
    o2 = services.objection_lodge(application=candidates[1], **kw)
    o3 = services.objection_lodge(application=candidates[1], **kw)
    with pytest.raises(PermissionDenied):
        services.objection_handle(objection=o1, by=committee_member, outcome="dismissed", reply="x")
    with pytest.raises(NotAllowed):
        services.objection_handle(objection=o1, by=secretary, outcome="dismissed", reply="")
    services.objection_handle(objection=o1, by=secretary, outcome=ObjectionStatus.DISMISSED, reply="经核查，不属实。")
    candidates[0].refresh_from_db()
    assert candidates[0].status == ApplicationStatus.PUBLIC_NOTICE
    services.objection_handle(
        objection=o2, by=secretary, outcome=ObjectionStatus.UPHELD_RETURNED, reply="提交委员会复议。"
    )
    candidates[1].refresh_from_db()
    assert candidates[1].status == ApplicationStatus.NOMINATED and candidates[1].award_level is None
    services.objection_handle(objection=o3, by=secretary, outcome=ObjectionStatus.UPHELD_WITHDRAWN, reply="已复议。")
    with pytest.raises(NotAllowed):
        services.objection_handle(objection=o1, by=secretary, outcome=ObjectionStatus.DISMISSED, reply="again")
    assert AuditEvent.objects.filter(object_type="committee.objection").count() >= 6


def test_confirm_refused_during_period_and_with_objection_open(open_meeting, members, secretary, cycle, candidates):
    notice = _published(open_meeting, members, secretary, cycle)
    args = {"cycle": cycle, "by": secretary, "decree_number": "郴政函〔2026〕1号", "decree_date": timezone.localdate()}
    with pytest.raises(NotAllowed) as e:
        services.winners_confirm(**args)
    assert e.value.code == "notice_running"
    objection = services.objection_lodge(
        notice=notice, application=candidates[0], name="张三", contact="a@b.cn", reasons="理由", ip="10.0.0.4"
    )
    type(notice).objects.filter(pk=notice.pk).update(
        starts_on=notice.starts_on - dt.timedelta(days=10), ends_on=notice.ends_on - dt.timedelta(days=10)
    )
    with pytest.raises(NotAllowed) as e:
        services.winners_confirm(**args)
    assert e.value.code == "objection_open"
    assert not GovernmentApproval.objects.exists()
    services.objection_handle(objection=objection, by=secretary, outcome="dismissed", reply="不属实。")
    winners = services.winners_confirm(**args)
    assert {w.status for w in winners} == {ApplicationStatus.AWARDED}
    assert {w.award_level.code for w in winners} == {"mayor"}
    cycle.refresh_from_db()
    assert cycle.status == "concluded"
    with pytest.raises(NotAllowed):
        services.winners_confirm(**args)


def test_confirming_winners_issues_and_renders_their_certificates(
    open_meeting, members, secretary, cycle, candidates, django_capture_on_commit_callbacks
):
    from certificates.models import Certificate

    _published(open_meeting, members, secretary, cycle)
    PublicNotice.objects.filter(cycle=cycle).update(
        starts_on=timezone.localdate() - dt.timedelta(days=10), ends_on=timezone.localdate() - dt.timedelta(days=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        winners = services.winners_confirm(
            cycle=cycle, by=secretary, decree_number="郴政函〔2026〕2号", decree_date=timezone.localdate()
        )
    certificates = Certificate.objects.filter(cycle=cycle).order_by("serial")
    assert sorted(c.application_id for c in certificates) == sorted(w.pk for w in winners)
    assert {c.status for c in certificates} == {"ready"}
    assert [c.serial for c in certificates] == [f"CZMQA-{cycle.year}-{n:03d}" for n in range(1, len(winners) + 1)]


def test_ballot_state_unchanged_when_refused(open_meeting, secretary):
    ballot = open_meeting.ballots.first()
    with pytest.raises(NotAllowed):
        services.ballot_close(ballot=ballot, by=secretary)
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.PENDING


def test_passed_without_a_place_in_the_quotas_is_not_approved(open_meeting, members, secretary, cycle):
    cycle.levels.filter(code="mayor").update(quota=1)
    cycle.levels.filter(code="nomination").update(quota=0)
    _run_all(open_meeting, members, secretary)
    services.meeting_close(meeting=open_meeting, by=secretary)
    first, second = open_meeting.ballots.order_by("rank").select_related("application", "award_level")
    assert first.award_level.code == "mayor" and first.application.status == ApplicationStatus.APPROVED
    assert second.passed and second.award_level is None and second.application.status == ApplicationStatus.NOT_APPROVED


def test_a_second_meeting_fills_only_the_places_the_first_left(open_meeting, members, secretary, cycle, candidates):
    # One Mayor-level place and one nomination place; both candidates pass the first meeting.
    cycle.levels.filter(code="mayor").update(quota=1)
    cycle.levels.filter(code="nomination").update(quota=1)
    notice = _published(open_meeting, members, secretary, cycle)
    first, second = (Application.objects.get(pk=c.pk) for c in candidates)
    assert (first.award_level.code, second.award_level.code) == ("mayor", "nomination")
    # An objection against the second is upheld: back to the committee, its level given up.
    objection = services.objection_lodge(
        notice=notice, application=second, name="张三", contact="a@b.cn", reasons="理由", ip="10.0.0.5"
    )
    services.objection_handle(
        objection=objection, by=secretary, outcome=ObjectionStatus.UPHELD_RETURNED, reply="复议。"
    )
    again = schedule(cycle, secretary)
    assert list(again.ballots.values_list("application_id", flat=True)) == [second.pk]
    services.meeting_open(meeting=again, by=secretary)
    services.attendance_record(meeting=again, by=secretary, present_ids=[u.pk for u in members[:5]])
    assert selectors.places_taken(again) == {first.award_level_id: 1}
    _run_all(again, members, secretary, approvals=(5,))
    services.meeting_close(meeting=again, by=secretary)
    ballot = again.ballots.select_related("award_level").get()
    # Rank 1 of this meeting, but the one Mayor-level place is held by the first candidate.
    assert ballot.rank == 1 and ballot.award_level.code == "nomination"
    preview = selectors.level_preview(again)
    assert preview["any_taken"] and [r["taken"] for r in preview["rows"]] == [1, 0]


def test_the_reply_to_an_upheld_objection_is_not_shown_to_the_enterprise(
    open_meeting, members, secretary, cycle, candidates
):
    notice = _published(open_meeting, members, secretary, cycle)
    objection = services.objection_lodge(
        notice=notice, application=candidates[0], name="王举报", contact="a@b.cn", reasons="理由", ip="10.0.0.6"
    )
    services.objection_handle(
        objection=objection, by=secretary, outcome=ObjectionStatus.UPHELD_RETURNED, reply="王举报先生：经核查属实。"
    )
    transition = candidates[0].transitions.order_by("-pk").first()
    assert transition.to_status == ApplicationStatus.NOMINATED
    assert "王举报" not in transition.comment and transition.comment
    objection.refresh_from_db()
    assert objection.reply == "王举报先生：经核查属实。"  # kept for the objector and the office


def test_no_meeting_is_scheduled_for_a_concluded_cycle(cycle, secretary):
    from awards.enums import CycleStatus

    type(cycle).objects.filter(pk=cycle.pk).update(status=CycleStatus.CONCLUDED)
    cycle.refresh_from_db()
    with pytest.raises(NotAllowed) as e:
        schedule(cycle, secretary)
    assert e.value.code == "concluded"


def test_a_repeated_identical_vote_changes_nothing_and_writes_no_event(roll_call_ballot, members):
    services.vote_cast(ballot=roll_call_ballot, by=members[0], choice="approve")
    events = AuditEvent.objects.filter(event=AuditEventType.VOTE_CAST).count()
    vote = Vote.objects.get()
    for _ in range(5):
        assert services.vote_cast(ballot=roll_call_ballot, by=members[0], choice="approve").pk == vote.pk
    assert AuditEvent.objects.filter(event=AuditEventType.VOTE_CAST).count() == events == 1
    services.vote_cast(ballot=roll_call_ballot, by=members[0], choice="reject")  # a change is still recorded
    assert AuditEvent.objects.filter(event=AuditEventType.VOTE_CAST).count() == 2


def test_a_repeated_secret_vote_is_refused_and_writes_no_event(open_ballot, members):
    services.vote_cast(ballot=open_ballot, by=members[0], choice="approve")
    for choice in ("approve", "reject"):
        with pytest.raises(NotAllowed) as e:
            services.vote_cast(ballot=open_ballot, by=members[0], choice=choice)
        assert e.value.code == "already_voted"
    assert AuditEvent.objects.filter(event=AuditEventType.VOTE_CAST).count() == 1
    assert SecretChoice.objects.filter(ballot=open_ballot).count() == 1
    assert BallotVoter.objects.filter(ballot=open_ballot, member=members[0]).count() == 1


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200c\u2060", " \u3000\ufeff ", "\u3164", "\x00\x07"])
def test_an_objection_under_an_invisible_name_is_refused(open_meeting, members, secretary, cycle, candidates, name):
    notice = _published(open_meeting, members, secretary, cycle)
    with pytest.raises(NotAllowed) as e:
        services.objection_lodge(
            notice=notice, application=candidates[0], name=name, contact="a@b.cn", reasons="事实与理由"
        )
    assert e.value.code == "anon"


def test_a_notice_in_working_days_skips_the_holiday_and_says_how_it_was_counted(
    open_meeting, members, secretary, cycle, candidates, anonymous
):
    from django.urls import reverse

    from awards.models import AwardCycle, CycleStage

    AwardCycle.objects.filter(pk=cycle.pk).update(public_notice_days=5, public_notice_day_count="working")
    CycleStage.objects.create(cycle=cycle, kind="public_notice", order=5)
    cycle.refresh_from_db()
    # Posted on Mon 29 September 2025: five working days end on the make-up Saturday, 11 October.
    notice = _published(open_meeting, members, secretary, cycle, starts_on=dt.date(2025, 9, 29))
    assert (notice.ends_on, notice.length, notice.day_count) == (dt.date(2025, 10, 11), 5, "working")
    stage = CycleStage.objects.get(cycle=cycle, kind="public_notice")
    assert (stage.starts_on, stage.ends_on) == (dt.date(2025, 9, 29), dt.date(2025, 10, 11))
    page = anonymous.get(reverse("committee:notice_year", args=[cycle.year]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Public notice from 2025-09-29 to 2025-10-11." in text
    assert "(5 working days, counted with China's official holidays and make-up working days)" in text
    with pytest.raises(NotAllowed) as exc:
        services.notice_period_change(notice=notice, by=secretary, ends_on=dt.date(2025, 10, 10), reason="缩短")
    assert exc.value.code in ("below_minimum", "ends_past")

"""Demo committee data (see core/demo.py): the 2017 meeting and its decision, the current cycle's meeting.

The 2017 applications were moved to awarded / not approved by awards/demo.py through the workflow;
this step records the meeting those decisions came from (attendance, ballots decided by secret
ballot whose stored counts agree with the statuses, suggestions, minutes PDF), the public notice and
the government's approval.
The decree number is demo data, marked as such: our sources do not give the real one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.utils import timezone

from awards.enums import ApplicationStatus as S
from core.demo import DemoContext

from .enums import BallotStatus, MeetingStatus, VoteChoice
from .models import (
    Attendance,
    AttendanceEvent,
    Ballot,
    BallotVoter,
    GovernmentApproval,
    Meeting,
    PublicNotice,
    Remark,
    SecretChoice,
)
from .selectors import attendance_now, quorum_now

SH = dt.timezone(dt.timedelta(hours=8))
A, R, X = VoteChoice.APPROVE, VoteChoice.REJECT, VoteChoice.ABSTAIN

# enterprise key -> (rank, votes of committee1..committee6; committee7 was absent). The ranks are the
# expert ranking's (combined scores from reviews/demo.py: dijing, jinxing, xiangnan, dongjiang).
BALLOTS_2017 = {
    "dijing": (1, [A, A, A, A, A, X]),
    "jinxing": (2, [A, A, A, A, A, A]),
    "xiangnan": (3, [A, A, R, R, R, X]),
    "dongjiang": (4, [A, A, A, R, R, X]),  # 3 of 6 voting: 9 < 12, not passed
}
REMARKS_2017 = [
    ("committee2", None, "建议获奖企业在全市范围内分享卓越绩效管理经验，发挥示范引领作用。"),
    ("committee4", "dongjiang", "东江水务的供水质量结果指标趋势良好，建议继续完善顾客满意度测量方法后再次申报。"),
    (None, None, "建议下一届评审进一步加强对申报企业质量安全事故记录的核查。"),
]


def seed(ctx: DemoContext) -> None:
    _seed_2017(ctx)
    _seed_current(ctx)


def _seed_2017(ctx: DemoContext) -> None:
    from .services import meeting_pdf_render

    cycle = ctx.cycles["2017"]
    meeting = Meeting.objects.filter(cycle=cycle).first()
    if meeting is None:
        meeting = Meeting.objects.create(
            cycle=cycle,
            starts_at=dt.datetime(2018, 1, 15, 9, 0, tzinfo=SH),
            place="郴州市人民政府第三会议室",
            notes="审议第六届郴州市市长质量奖提名企业。",
            status=MeetingStatus.CLOSED,
            invited_at=dt.datetime(2018, 1, 8, 10, 0, tzinfo=SH),
            opened_at=dt.datetime(2018, 1, 15, 9, 0, tzinfo=SH),
            closed_at=dt.datetime(2018, 1, 15, 16, 0, tzinfo=SH),
            created_by=ctx.users["secretary"],
        )
        members = [ctx.users[f"committee{i}"] for i in range(1, 8)]
        present = members[:6]
        for i, member in enumerate(members):
            Attendance.objects.create(meeting=meeting, member=member, present=i < 6)
        AttendanceEvent.objects.bulk_create(
            AttendanceEvent(
                meeting=meeting, member=m, present=True, at=meeting.opened_at, recorded_by=meeting.created_by
            )
            for m in present
        )
        named = [{"id": m.pk, "name": m.get_full_name()} for m in sorted(present, key=lambda u: (u.full_name, u.email))]
        mayor = cycle.levels.get(code="mayor")
        for key, (rank, votes) in BALLOTS_2017.items():
            app = ctx.applications[(key, "2017")]
            counts = {c: votes.count(c) for c in (A, R, X)}
            passed = app.status == S.AWARDED
            ballot = Ballot.objects.create(
                meeting=meeting,
                application=app,
                rank=rank,
                status=BallotStatus.CLOSED,
                opened_at=dt.datetime(2018, 1, 15, 10 + rank, 0, tzinfo=SH),
                closed_at=dt.datetime(2018, 1, 15, 10 + rank, 30, tzinfo=SH),
                members=7,
                present=6,
                recused=0,
                approvals=counts[A],
                rejections=counts[R],
                abstentions=counts[X],
                passed=passed,
                secret=True,
                pass_base=cycle.pass_base,
                pass_numerator=cycle.pass_numerator,
                pass_denominator=cycle.pass_denominator,
                eligible=6,
                voted=6,
                base=6,
                roll={"present_open": named, "present_close": named, "recused": [], "voted": named, "not_voted": []},
                award_level=mayor if passed else None,
                level_quota=mayor.quota if passed else None,
            )
            # Secret ballot: who voted, and separately the anonymous choices.
            BallotVoter.objects.bulk_create(BallotVoter(ballot=ballot, member=m) for m in present)
            SecretChoice.objects.bulk_create(SecretChoice(ballot=ballot, choice=c) for c in votes)
        winners_2017 = Ballot.objects.filter(meeting=meeting, passed=True)
        Meeting.objects.filter(pk=meeting.pk).update(
            levels_record=[
                {
                    "id": level.pk,
                    "code": level.code,
                    "name_zh": level.name_zh,
                    "name_en": level.name_en,
                    "rank": level.rank,
                    "quota": level.quota,
                    "taken": 0,
                    "vacant": max(level.quota - winners_2017.filter(award_level=level).count(), 0),
                }
                for level in cycle.levels.order_by("rank")
            ]
        )
        meeting.refresh_from_db()
        Meeting.objects.filter(pk=meeting.pk).update(
            attendance_record={
                "members": [asdict(row) for row in attendance_now(meeting)],
                "quorum": asdict(quorum_now(meeting)),
            }
        )
        meeting.refresh_from_db()
        for member_key, app_key, text in REMARKS_2017:
            Remark.objects.create(
                meeting=meeting,
                member=ctx.users[member_key] if member_key else None,
                application=ctx.applications[(app_key, "2017")] if app_key else None,
                text=text,
                recorded_by=ctx.users["secretary"],
            )
        winners = [ctx.applications[(k, "2017")] for k in ("dijing", "jinxing")]
        notice = PublicNotice.objects.create(
            cycle=cycle,
            starts_on=dt.date(2018, 1, 18),
            ends_on=dt.date(2018, 1, 24),
            published_by=ctx.users["secretary"],
        )
        notice.applications.set(winners)
        GovernmentApproval.objects.create(
            cycle=cycle,
            decree_number="郴政函〔2018〕演示1号 (demo)",
            decree_date=dt.date(2018, 1, 26),
            recorded_by=ctx.users["secretary"],
        )
        ctx.log("Committee: the 2017 meeting, votes, notice and approval recorded.")
    if not meeting.minutes_pdf:
        meeting_pdf_render(meeting_id=meeting.pk, kind="minutes")


def _seed_current(ctx: DemoContext) -> None:
    from .services import meeting_schedule

    cycle = ctx.cycles["current"]
    if Meeting.objects.filter(cycle=cycle).exists():
        return
    day = cycle.committee_meeting_on or (timezone.localdate() + dt.timedelta(days=120))
    meeting_schedule(
        cycle=cycle,
        by=ctx.users["secretary"],
        starts_at=dt.datetime(day.year, day.month, day.day, 9, 30, tzinfo=SH),
        place="郴州市人民政府第一会议室",
        notes="审议本届提名企业；请委员提前阅读会议报告和候选企业材料。",
    )

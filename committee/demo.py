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

from awards.enums import ApplicationStatus
from core.demo import DemoContext
from reviews.health_selectors import review_health

from . import decisions
from .enums import BallotStatus, MeetingStatus, VoteChoice
from .models import (
    Attendance,
    AttendanceEvent,
    Ballot,
    BallotVoter,
    GovernmentApproval,
    Meeting,
    PublicNotice,
    Recusal,
    Remark,
    SecretChoice,
)
from .selectors import attendance_now, quorum_now
from .services import meeting_pdf_render, meeting_schedule

SH = dt.timezone(dt.timedelta(hours=8))
A, R, X = VoteChoice.APPROVE, VoteChoice.REJECT, VoteChoice.ABSTAIN

# enterprise key -> (rank, choices of committee1..committee7). None: not present when the ballot was
# held (committee7 arrived after the first ballot); RECUSED: declared a conflict and did not vote.
# The ranks are the expert ranking's (combined scores from reviews/demo.py: dijing, jinxing,
# xiangnan, dongjiang). The base is the members present and not recused (the default rule).
RECUSED = "recused"
BALLOTS_2017 = {
    "dijing": (1, [A, A, A, A, A, X, None]),  # 5 of 6 present: 15 ≥ 12, passed
    "jinxing": (2, [A, A, A, A, A, A, A]),  # 7 of 7: passed
    "xiangnan": (3, [A, A, RECUSED, R, R, X, R]),  # 2 of 6 (7 present, 1 recused): 6 < 12, not passed
    "dongjiang": (4, [A, A, A, R, R, X, X]),  # 3 of 7: 9 < 14, not passed
}
# Who declared a conflict on which candidate, and why (printed in the minutes under that ballot).
RECUSALS_2017 = {("xiangnan", "committee3"): "曾在近三年内为该企业提供质量管理体系咨询服务"}
# committee7 arrived after the first ballot had closed and before the second opened.
LATE_ARRIVAL_2017 = ("committee7", dt.datetime(2018, 1, 15, 11, 45, tzinfo=SH))
REMARKS_2017 = [
    ("committee2", None, "建议获奖企业在全市范围内分享卓越绩效管理经验，发挥示范引领作用。"),
    ("committee4", "dongjiang", "东江水务的供水质量结果指标趋势良好，建议继续完善顾客满意度测量方法后再次申报。"),
    (None, None, "建议下一届评审进一步加强对申报企业质量安全事故记录的核查。"),
]


def seed(ctx: DemoContext) -> None:
    _seed_2017(ctx)
    _seed_current(ctx)


def _seed_2017(ctx: DemoContext) -> None:
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
        late_key, late_at = LATE_ARRIVAL_2017
        late = ctx.users[late_key]
        # By the close every member was present: the arrival is what the per-ballot attendance shows.
        for member in members:
            Attendance.objects.create(meeting=meeting, member=member, present=True)
        AttendanceEvent.objects.bulk_create(
            [
                *(
                    AttendanceEvent(
                        meeting=meeting, member=m, present=True, at=meeting.opened_at, recorded_by=meeting.created_by
                    )
                    for m in members
                    if m != late
                ),
                AttendanceEvent(meeting=meeting, member=late, present=True, at=late_at, recorded_by=meeting.created_by),
            ]
        )

        def named(users):
            return [
                {"id": m.pk, "name": m.get_full_name()} for m in sorted(users, key=lambda u: (u.full_name, u.email))
            ]

        mayor = cycle.levels.get(code="mayor")
        for key, (rank, choices) in BALLOTS_2017.items():
            app = ctx.applications[(key, "2017")]
            present = [m for m, c in zip(members, choices, strict=True) if c is not None]
            recused = [m for m, c in zip(members, choices, strict=True) if c == RECUSED]
            voted = [m for m, c in zip(members, choices, strict=True) if c not in (None, RECUSED)]
            votes = [c for c in choices if c not in (None, RECUSED)]
            counts = {c: votes.count(c) for c in (A, R, X)}
            passed = app.status == ApplicationStatus.AWARDED
            reasons = {ctx.users[who].pk: why for (on, who), why in RECUSALS_2017.items() if on == key}
            ballot = Ballot.objects.create(
                meeting=meeting,
                application=app,
                rank=rank,
                status=BallotStatus.CLOSED,
                opened_at=dt.datetime(2018, 1, 15, 10 + rank, 0, tzinfo=SH),
                closed_at=dt.datetime(2018, 1, 15, 10 + rank, 30, tzinfo=SH),
                members=7,
                present=len(present),
                recused=len(recused),
                approvals=counts[A],
                rejections=counts[R],
                abstentions=counts[X],
                passed=passed,
                secret=True,
                pass_base=cycle.pass_base,
                pass_numerator=cycle.pass_numerator,
                pass_denominator=cycle.pass_denominator,
                eligible=len(voted),
                voted=len(voted),
                base=decisions.count_base(
                    cycle.pass_base,
                    eligible=len(present) - len(recused),
                    members=len(members) - len(recused),
                    cast=len(votes),
                ),
                roll={
                    "present_open": named(present),
                    "present_close": named(present),
                    "recused": [{**m, "reason": reasons[m["id"]]} for m in named(recused)],
                    "voted": named(voted),
                    "not_voted": [],
                },
                award_level=mayor if passed else None,
                level_quota=mayor.quota if passed else None,
            )
            # Secret ballot: who voted, and separately the anonymous choices.
            BallotVoter.objects.bulk_create(BallotVoter(ballot=ballot, member=m) for m in voted)
            for member in recused:
                recusal = Recusal.objects.create(
                    ballot=ballot, member=member, reason=reasons[member.pk], recorded_by=member
                )
                Recusal.objects.filter(pk=recusal.pk).update(created_at=ballot.opened_at)
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
            },
            health_record=review_health(cycle=cycle),  # what the committee saw when it closed
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

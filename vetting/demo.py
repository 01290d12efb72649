"""Demo of recommendation and department opinions (see core/demo.py). The recommending bodies and
their recommendations are made by awards.demo as the current cycle's applications are submitted;
this step adds the consulted departments, their requests and answers: no record for most, a record
that does not disqualify (it reaches the dossier), one that does (一票否决), and one still open.
Then the presentation and defence (陈述答辩): two applications move on from the material review; an
open session (public) where one enterprise confirmed and was heard, questioned and scored, and the
other asked for another time; a closed-door session the next day where its new slot waits."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from awards.enums import ApplicationStatus, CycleRole, DayCount, OpinionAnswer, RecordCategory, StageKind
from awards.models import AwardCycle, CycleMembership, CycleStage
from awards.services import application_decide_eligibility, application_transition
from core import workdays
from core.demo import DemoContext, demo_user

from .enums import InvitationResponse
from .models import OpinionRequest, PresentationSession, PresentationSlot
from .services import (
    application_recommend,
    opinion_answer,
    opinion_requests_send,
    presentation_invite,
    presentation_note_record,
    presentation_respond,
    presentation_schedule,
    presentation_score_record,
    presentation_session_open,
    presentation_session_save,
    presentation_unschedule,
)

SH = ZoneInfo("Asia/Shanghai")

DEPARTMENTS = [
    ("sthj", "市生态环境局"),
    ("yjgl", "市应急管理局"),
    ("sw", "国家税务总局郴州市税务局"),
    ("rsj", "市人力资源和社会保障局"),
    ("xy", "信用郴州（市发展和改革委员会）"),
]


def seed(ctx: DemoContext) -> None:
    seed_opinions(ctx)
    seed_presentations(ctx)


def seed_opinions(ctx: DemoContext) -> None:
    cycle = ctx.cycles["current"]
    departments = {}
    for key, unit in DEPARTMENTS:
        user = demo_user(
            ctx, f"department_{key}", f"{key}@demo.mqa.cn", f"{unit}联络员", role_label=f"department ({key})"
        )
        CycleMembership.objects.get_or_create(
            cycle=cycle, user=user, role=CycleRole.DEPARTMENT, defaults={"unit": unit}
        )
        departments[key] = user
    if OpinionRequest.objects.filter(application__cycle=cycle).exists():
        return
    secretary = ctx.users["secretary"]
    deadline = timezone.localdate() + dt.timedelta(days=10)
    everyone = list(departments.values())
    # Dongjiang is recommended and found eligible here, then a department's record ends it (一票否决).
    dongjiang = ctx.applications[("dongjiang", "current")]
    dongjiang.refresh_from_db()
    application_recommend(
        application=dongjiang,
        by=ctx.users[f"recommender_{dongjiang.enterprise.district}"],
        decision="recommended",
        opinion="经核实，申报材料属实，同意推荐。",
        notify=False,
    )
    dongjiang.refresh_from_db()
    application_decide_eligibility(application=dongjiang, by=secretary, decision="eligible", notify=False)
    for ent_key in ("qingshan", "xiangnan", "kangning", "xiangyun", "dongjiang"):
        app = ctx.applications[(ent_key, "current")]
        app.refresh_from_db()
        opinion_requests_send(application=app, departments=everyone, deadline=deadline, by=secretary)
    answers = {
        # (enterprise, department): (answer, category, details)
        ("kangning", "sthj"): (
            OpinionAnswer.RECORD_FOUND,
            RecordCategory.OTHER,
            "2024年5月因危险废物台账记录不全被责令限期改正，已按期整改，未予处罚（郴环责改〔2024〕31号）。",
        ),
        ("dongjiang", "yjgl"): (
            OpinionAnswer.RECORD_FOUND,
            RecordCategory.SAFETY,
            "2025年3月发生一起造成1人死亡的生产安全事故，经调查认定为一般生产安全责任事故（郴应急罚〔2025〕12号）。",
        ),
    }
    for ent_key in ("qingshan", "xiangnan", "kangning", "xiangyun", "dongjiang"):
        app = ctx.applications[(ent_key, "current")]
        for key, user in departments.items():
            if ent_key == "qingshan" and key == "xy":
                continue  # still open: the office's reminder is for this one
            answer, category, details = answers.get((ent_key, key), (OpinionAnswer.NO_RECORD, "", ""))
            req = OpinionRequest.objects.get(application=app, department=user)
            opinion_answer(request=req, by=user, answer=answer, category=category, details=details)
            app.refresh_from_db()
            if app.status == ApplicationStatus.INELIGIBLE:
                break  # the veto ended it: the other departments' answers are no longer needed
    _backdate_opinions(cycle)
    ctx.log("Department opinions: answers for five applications, one veto, one record in the dossier, one open.")


def _backdate_opinions(cycle: AwardCycle) -> None:
    """The requests were sent, and answered, in the department opinions stage's window (the demo's
    cycle is in its material review today: awards.demo.backdate_current); the one still open is overdue."""
    window = CycleStage.objects.filter(cycle=cycle, kind=StageKind.OPINIONS).first()
    if window is None or window.starts_on is None or window.ends_on is None:
        return
    start = dt.datetime(window.starts_on.year, window.starts_on.month, window.starts_on.day, 10, 0, tzinfo=SH)
    for n, req in enumerate(OpinionRequest.objects.filter(application__cycle=cycle).order_by("pk")):
        OpinionRequest.objects.filter(pk=req.pk).update(
            sent_at=start,
            deadline=window.ends_on,
            answered_at=start + dt.timedelta(days=7, minutes=13 * n) if req.answered_at else None,
        )


PRESENTED = ("kangning", "xiangnan")
QUESTIONS = [
    ("expert1", "4.1", "高层领导如何推动质量文化落地？", "总经理每季度主持质量例会，质量目标纳入各部门绩效考核。"),
    ("expert2", "4.3", "顾客满意度是如何测量的？近三年趋势如何？", "委托第三方每年调查，满意度由 86 分提升到 91 分。"),
    (
        "expert3",
        "4.7",
        "主要产品的一次交验合格率与行业标杆相比如何？",
        "2025 年为 99.2%，高于行业平均 97.5%，与标杆企业相当。",
    ),
]
SCORES = [86, 82, 88, 79, 84]


def seed_presentations(ctx: DemoContext) -> None:
    cycle = ctx.cycles["current"]
    window = CycleStage.objects.filter(cycle=cycle, kind=StageKind.PRESENTATION).first()
    if window is None or window.starts_on is None or PresentationSession.objects.filter(cycle=cycle).exists():
        return
    secretary = ctx.users["secretary"]
    AwardCycle.objects.filter(pk=cycle.pk).update(presentation_weight=20)
    cycle.refresh_from_db()
    apps = {}
    for key in PRESENTED:
        app = ctx.applications[(key, "current")]
        app.refresh_from_db()
        if app.status == ApplicationStatus.MATERIAL_REVIEW:
            app = application_transition(
                application=app, to_status=ApplicationStatus.PRESENTATION, by=secretary, notify=False
            )
        apps[key] = app
    day = window.starts_on
    panel = [ctx.users[f"expert{i}"] for i in range(1, 6)]
    public = presentation_session_save(
        cycle=cycle,
        by=secretary,
        starts_at=dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=SH),
        duration_minutes=180,
        place="郴州市市场监督管理局三楼第一会议室",
        is_public=True,
        panel=panel,
    )
    heard = presentation_schedule(
        session=public, application=apps["kangning"], starts_at=public.starts_at, minutes=40, by=secretary
    )
    later = presentation_schedule(
        session=public,
        application=apps["xiangnan"],
        starts_at=public.starts_at + dt.timedelta(minutes=50),
        minutes=40,
        by=secretary,
    )
    for slot in (heard, later):
        presentation_invite(slot=slot, by=secretary)
    presentation_respond(slot=heard, by=ctx.users["applicant_kangning"], response=InvitationResponse.CONFIRMED)
    presentation_respond(
        slot=later,
        by=ctx.users["applicant_xiangnan"],
        response=InvitationResponse.RESCHEDULE,
        reason="总经理当天上午在省里参加会议，恳请改到次日下午。",
    )
    nxt = workdays.period(day, 2, DayCount.WORKING).ends_on
    closed_door = presentation_session_save(
        cycle=cycle,
        by=secretary,
        starts_at=dt.datetime(nxt.year, nxt.month, nxt.day, 14, 30, tzinfo=SH),
        duration_minutes=60,
        place="郴州市市场监督管理局五楼小会议室",
        is_public=False,
        panel=panel[2:],
    )
    moved = presentation_schedule(
        session=closed_door, application=apps["xiangnan"], starts_at=closed_door.starts_at, minutes=40, by=secretary
    )
    presentation_invite(slot=moved, by=secretary)
    # Scheduled in the closed-door session by mistake, then removed with the reason on record.
    mistaken = presentation_schedule(
        session=closed_door,
        application=apps["kangning"],
        starts_at=closed_door.starts_at + dt.timedelta(minutes=40),
        minutes=20,
        by=secretary,
    )
    presentation_unschedule(slot=mistaken, by=secretary, reason="该企业已安排在公开场次答辩，此处为误排。")
    presentation_session_open(session=public, by=secretary)
    heard = PresentationSlot.objects.select_related("session__cycle__framework").get(pk=heard.pk)
    for expert_key, category, question, answer in QUESTIONS:
        presentation_note_record(
            slot=heard, by=ctx.users[expert_key], category=category, question=question, answer=answer
        )
    for member, score in zip(panel, SCORES, strict=True):
        presentation_score_record(slot=heard, by=member, score=score)
    ctx.log(
        "Presentation and defence: a public session (one heard and scored, one asked to reschedule), one closed-door"
        " (one slot removed from it)."
    )

"""Demo data for expert review (see core/demo.py): expert profiles, the 2017 cycle's rounds, panels,
submitted sheets and one consensus; the current cycle in the middle of its material review.

The 2017 sheets are historical records: they are written with their real dates (the rounds closed
long ago, so the scoring services would rightly refuse them). The current cycle's work goes through
the services: declarations, drafts and submissions. Idempotent: panels that exist are left alone.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from awards.enums import ApplicationStatus
from awards.models import Application, CriteriaItem
from awards.services import application_transition
from core.audit import audit_record
from core.demo import DemoContext
from core.enums import AuditEventType
from enterprises.validators import credit_code_with_check

from . import panel_scores, services
from .enums import AssignmentStatus, RoundKind, SheetStatus
from .models import (
    Assignment,
    CategoryFeedback,
    Consensus,
    ExpertProfile,
    ExpertRating,
    ItemScore,
    Panel,
    PastClient,
    ReviewRound,
    ScoreSheet,
)

SH = dt.timezone(dt.timedelta(hours=8))

# expert key: title, employer, employer org code (or ""), industries, district, past client enterprise keys
PROFILES = {
    "expert1": ("教授级高级工程师", "湖南省质量和标准化研究院", "MA4L90QB", ["C", "D"], "431002", []),
    "expert2": ("高级经济师", "郴州市标准化协会", "MA4L91BH", ["C", "F", "I"], "431002", []),
    "expert3": ("教授", "湘南学院经济与管理学院", "", ["C", "E", "Q"], "431003", []),
    "expert4": ("高级工程师", "郴州市产商品质量监督检验所", "MA4L92JC", ["C", "B", "D"], "431002", []),
    "expert5": ("注册质量工程师", "湖南卓越绩效咨询有限公司", "MA4L93CY", ["C", "G", "A"], "431003", ["qingshan"]),
    "expert6": ("高级工程师", "郴州市建筑设计院", "MA4L94JD", ["E", "N"], "431002", []),
    "expert7": ("高级工程师", "永兴祥云稀贵金属有限公司", None, ["C"], "431023", []),  # employer = xiangyun
    "expert8": ("Senior quality auditor", "Hunan Provincial Quality Association", "", ["C", "I", "Q"], "431002", []),
}

# A deterministic spread around each panel's level: never more than 20 % apart on an item.
OFFSETS = [
    [0, 5, -5, 10, 0, -5, 5, 0, -10, 5, 0, 5, -5, 0, 10, -5, 0, 5, 0, -5, 5, 0, -5],
    [5, 0, 0, -5, 5, 10, 0, -5, 0, 0, 5, -5, 0, 5, 0, 0, -5, 0, 5, 0, -5, 5, 0],
    [-5, -5, 5, 0, -5, 0, -5, 5, 5, -5, -5, 0, 5, -5, -5, 5, 5, -5, -5, 5, 0, -5, 5],
    [0, 0, -5, 5, 0, -5, 10, 0, 0, 5, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 10, 0],
    [5, -5, 0, -5, 5, 5, -5, 5, 5, -5, 5, 5, 0, -5, 5, 5, 5, 10, 5, 5, 5, -5, -5],
]


def _at(y, m, d, h=9):
    return dt.datetime(y, m, d, h, 0, tzinfo=SH)


def _pct(level: int, offset: int) -> int:
    return max(0, min(100, level + offset))


def seed_profiles(ctx: DemoContext) -> None:
    for key, (title, employer, org, industries, district, clients) in PROFILES.items():
        user = ctx.users[key]
        if org is None:
            code = ctx.enterprises["xiangyun"].credit_code
        else:
            code = credit_code_with_check(f"91{district}{org}") if org else ""
        profile, created = ExpertProfile.objects.get_or_create(
            user=user,
            defaults={
                "title": title,
                "employer": employer,
                "employer_credit_code": code,
                "industries": industries,
                "district": district,
            },
        )
        for client in clients:
            ent = ctx.enterprises[client]
            PastClient.objects.get_or_create(
                profile=profile, credit_code=ent.credit_code, defaults={"name": ent.name_zh or ent.name_en}
            )


def _historic_panel(ctx, rnd, app, experts, level, submitted_at, *, flag=None, feedback=True):
    """A finished panel: every member declared no conflict and submitted; `flag` = (item code, percents, consensus)."""
    if Panel.objects.filter(round=rnd, application=app).exists():
        return
    items = list(
        CriteriaItem.objects.filter(category__framework=rnd.cycle.framework).order_by("category__order", "order")
    )
    panel = Panel.objects.create(round=rnd, application=app)
    Panel.objects.filter(pk=panel.pk).update(created_at=rnd.opens_at)
    for k, key in enumerate(experts):
        a = Assignment.objects.create(
            panel=panel,
            expert=ctx.users[key],
            is_leader=k == 0,
            status=AssignmentStatus.ACCEPTED,
            declared_at=rnd.opens_at + dt.timedelta(days=1),
            assigned_at=rnd.opens_at,
        )
        sheet = ScoreSheet.objects.create(
            assignment=a,
            status=SheetStatus.SUBMITTED,
            submitted_at=submitted_at + dt.timedelta(hours=k),
            overall_comment="卓越绩效模式推进扎实，结果指标总体良好。"
            if level >= 60
            else "基础管理较规范，系统性与结果对比有待加强。",
        )
        values = {i.pk: _pct(level, OFFSETS[k][n]) for n, i in enumerate(items)}
        if flag:
            code, percents, _c = flag
            values[next(i.pk for i in items if i.code == code)] = percents[k]
        ItemScore.objects.bulk_create([ItemScore(sheet=sheet, item_id=pk, percent=v) for pk, v in values.items()])
        if feedback and k < 2:
            for cat in {i.category for i in items}:
                CategoryFeedback.objects.create(
                    sheet=sheet,
                    category=cat,
                    strengths=f"{cat.title_zh}：方法系统，展开较充分。",
                    opportunities=f"{cat.title_zh}：与标杆的对比数据不足，建议建立对比分析机制。",
                )
    if flag:
        code, _p, (pct, why) = flag
        Consensus.objects.create(
            panel=panel,
            item=next(i for i in items if i.code == code),
            percent=pct,
            rationale=why,
            recorded_by=ctx.users[experts[0]],
            recorded_at=submitted_at + dt.timedelta(days=2),
        )
    panel_scores.refresh(panel_ids=[panel.pk])  # as the services do when sheets and consensus are recorded


def seed_2017(ctx: DemoContext) -> None:
    cycle = ctx.cycles["2017"]
    material, _ = ReviewRound.objects.get_or_create(
        cycle=cycle,
        kind=RoundKind.MATERIAL,
        defaults={"opens_at": _at(2017, 10, 16), "closes_at": _at(2017, 11, 15, 18)},
    )
    onsite, _ = ReviewRound.objects.get_or_create(
        cycle=cycle, kind=RoundKind.ONSITE, defaults={"opens_at": _at(2017, 12, 1), "closes_at": _at(2017, 12, 20, 18)}
    )
    apps = {k: ctx.applications[(k, "2017")] for k in ("dijing", "jinxing", "xiangnan", "dongjiang")}
    levels = {"dijing": (70, 75), "jinxing": (65, 70), "xiangnan": (55, 55), "dongjiang": (50, 50)}
    panels = {
        "dijing": ["expert1", "expert2", "expert3", "expert4", "expert5"],
        "jinxing": ["expert6", "expert1", "expert2", "expert3", "expert4"],
        "xiangnan": ["expert4", "expert5", "expert6", "expert8", "expert1"],
        "dongjiang": ["expert2", "expert3", "expert5", "expert6", "expert8"],
    }
    flag = (
        "4.7.4",
        [50, 60, 65, 70, 85],
        (65, "财务结果：专家对利润率对比数据理解不一，经讨论以审计报告为准，取65%。"),
    )
    for key, app in apps.items():
        mat, ons = levels[key]
        _historic_panel(ctx, material, app, panels[key], mat, _at(2017, 11, 10), flag=flag if key == "dijing" else None)
        onsite_panel = ["expert3", "expert1", "expert2", "expert6", "expert8"]
        _historic_panel(ctx, onsite, app, onsite_panel, ons, _at(2017, 12, 18), feedback=key in ("dijing", "jinxing"))
    _ratings_2017(ctx, material, onsite)


# After each 2017 round: the panel leaders' and the office's ratings (timeliness, comments, conduct).
RATINGS_2017 = [
    ("material", "expert2", "expert1", "leader", (5, 4, 5), "意见具体，每条改进机会都有证据支撑。"),
    ("material", "expert5", "expert1", "leader", (3, 3, 4), "评分提交较晚，部分意见偏笼统。"),
    ("material", "expert4", "secretary", "office", (4, 4, 5), ""),
    ("onsite", "expert1", "expert3", "leader", (5, 5, 5), "现场访谈准备充分，问题聚焦。"),
    ("onsite", "expert8", "expert3", "leader", (4, 3, 4), ""),
    ("onsite", "expert8", "secretary", "office", (4, 4, 4), "按时提交，遵守保密要求。"),
]


def _ratings_2017(ctx, material, onsite) -> None:
    """Historical ratings, written with the date after each round closed."""
    rounds = {"material": material, "onsite": onsite}
    for kind, expert, rater, role, (t, c, d), note in RATINGS_2017:
        rnd = rounds[kind]
        ExpertRating.objects.get_or_create(
            round=rnd,
            expert=ctx.users[expert],
            rated_by=ctx.users[rater],
            defaults={
                "rater_role": role,
                "timeliness": t,
                "comments": c,
                "conduct": d,
                "note": note,
                "rated_at": rnd.closes_at + dt.timedelta(days=3),
            },
        )


def _apply(ctx, ent_key: str, cycle) -> Application:
    """An application of the current cycle that awards.demo made eligible, with its content."""
    return Application.objects.get(enterprise=ctx.enterprises[ent_key], cycle=cycle)


def seed_current(ctx: DemoContext) -> None:
    cycle = ctx.cycles["current"]
    secretary = ctx.users["secretary"]
    now = timezone.now()
    rnd, _ = ReviewRound.objects.get_or_create(
        cycle=cycle,
        kind=RoundKind.MATERIAL,
        defaults={"opens_at": now - dt.timedelta(days=6), "closes_at": now + dt.timedelta(days=2)},
    )
    if Panel.objects.filter(round=rnd).exists():
        return
    items = list(CriteriaItem.objects.filter(category__framework=cycle.framework).order_by("category__order", "order"))
    # (enterprise, experts leader first, per expert: "submitted" | "draft" | "accepted" | "pending", level)
    plan = [
        (
            "qingshan",
            ["expert8", "expert1", "expert2", "expert3", "expert4"],
            ["submitted", "submitted", "draft", "pending", "submitted"],
            60,
        ),
        (
            "xiangnan",
            ["expert1", "expert4", "expert5", "expert6", "expert8"],
            ["draft", "submitted", "pending", "accepted", "submitted"],
            55,
        ),
        (
            "kangning",
            ["expert2", "expert3", "expert5", "expert7", "expert1"],
            ["submitted", "submitted", "submitted", "submitted", "submitted"],
            75,
        ),
    ]
    for ent_key, experts, states, level in plan:
        app = ctx.applications.get((ent_key, "current")) or _apply(ctx, ent_key, cycle)
        panel = Panel.objects.create(round=rnd, application=app)
        assignments = [
            Assignment.objects.create(panel=panel, expert=ctx.users[key], is_leader=k == 0)
            for k, key in enumerate(experts)
        ]
        audit_record(
            event=AuditEventType.REVIEW_ASSIGNMENT,
            obj=panel,
            by=secretary,
            payload={"experts": [ctx.users[k].pk for k in experts], "mode": "manual"},
        )
        application_transition(application=app, to_status=ApplicationStatus.MATERIAL_REVIEW, by=secretary, system=True)
        for k, (a, state) in enumerate(zip(assignments, states, strict=True)):
            if state == "pending":
                continue
            services.assignment_declare(assignment=a, by=a.expert, conflict=False)
            if state == "accepted":
                continue
            scores = {i.pk: _pct(level, OFFSETS[k][n]) for n, i in enumerate(items)}
            if state == "draft":
                scores = dict(list(scores.items())[:9])
            services.sheet_save(
                assignment=a,
                by=a.expert,
                scores=scores,
                feedback={items[0].category_id: ("高层领导亲自推动质量战略。", "领导绩效评价的量化程度有待提高。")},
                overall_comment="材料完整，过程描述较清晰。",
            )
            if state == "submitted":
                services.sheet_submit(assignment=a, by=a.expert)
        ctx.applications[(ent_key, "current")] = app


def seed(ctx: DemoContext) -> None:
    seed_profiles(ctx)
    seed_2017(ctx)
    seed_current(ctx)
    ctx.log("Expert review: 2017 panels scored; the current material review is under way.")

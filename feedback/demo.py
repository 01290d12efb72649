"""Demo data for feedback reports (see core/demo.py): the 2017 reports, drafted by each application's
panel leader, approved by the award office and released, so the 2017 applicants can read theirs; and
the returning applicant of the current cycle answers its previous opportunities."""

from __future__ import annotations

from awards.models import Application
from core.demo import DemoContext
from reviews.enums import RoundKind
from reviews.models import Assignment

from . import selectors, services
from .enums import ReportStatus
from .models import FeedbackReport, OpportunityResponse

# Merged and rewritten per category, as a panel leader would: no expert, no other applicant named.
STRENGTHS = {
    "4.1": "高层领导亲自推动卓越绩效模式，质量方针与发展战略衔接清楚，社会责任履行记录完整。",
    "4.2": "战略制定过程有明确的输入与评审环节，年度目标已分解到主要部门。",
    "4.3": "建立了顾客分类与需求收集渠道，顾客投诉能够闭环处理。",
    "4.4": "人才培养体系较完整，信息系统覆盖生产与财务主要环节。",
    "4.5": "关键过程已识别并形成文件，过程指标有日常监控。",
    "4.6": "建立了经营分析例会制度，改进项目有立项与验收记录。",
    "4.7": "主要产品合格率和顾客满意度近三年保持稳定或上升。",
}
OPPORTUNITIES = {
    "4.1": ["领导绩效评价以定性为主，建议设定可量化的评价指标。", "组织治理中对风险的识别与应对尚未系统开展。"],
    "4.2": ["战略目标与关键绩效指标之间的对应关系不够清晰。", "战略实施的跟踪与调整机制有待建立。"],
    "4.3": ["顾客满意度测量方法较单一，缺少与竞争对手和标杆的对比。", "对潜在顾客和市场变化的研究不足。"],
    "4.4": ["员工满意度与敬业度的测量和改进尚未形成机制。", "知识管理停留在资料归档，经验分享不足。"],
    "4.5": ["过程设计中对顾客要求的转化不够充分。", "过程改进多为问题驱动，缺少系统的过程评价。"],
    "4.6": ["绩效数据的对比分析不足，缺少行业标杆数据。", "创新成果的推广与共享有待加强。"],
    "4.7": ["多数结果指标缺少三年以上的趋势数据。", "财务结果与行业先进水平对比的证据不足。"],
}
THEMES = (
    "各类目的方法已较系统，但测量与对比普遍不足：建议以关键绩效指标为主线，建立与标杆对比的数据体系，并用于战略调整。"
)
FINDINGS = "现场核实了质量管理体系与安全生产的运行记录，与申报材料基本一致；一线员工对质量目标的了解程度不一。"


def _leader(application: Application):
    a = (
        Assignment.objects.filter(panel__application=application, panel__round__kind=RoundKind.MATERIAL, is_leader=True)
        .select_related("expert")
        .first()
    )
    return a.expert if a else None


def seed_2017(ctx: DemoContext) -> int:
    cycle = ctx.cycles["2017"]
    secretary = ctx.users["secretary"]
    released = 0
    for application in selectors.reviewed_applications(cycle):
        if FeedbackReport.objects.filter(application=application, status=ReportStatus.RELEASED).exists():
            continue
        leader = _leader(application)
        report = services.report_start(application=application, by=leader)
        onsite = application.panels.filter(round__kind=RoundKind.ONSITE).exists()
        services.report_save(
            report=report,
            by=leader,
            categories={
                rc.category_id: (STRENGTHS[rc.category.code], "\n".join(OPPORTUNITIES[rc.category.code]))
                for rc in report.categories.select_related("category")
            },
            key_themes=THEMES,
            site_findings=FINDINGS if onsite else "",
        )
        services.report_submit(report=report, by=leader)
        services.report_approve(
            report=report, by=secretary, accurate=True, actionable=True, anonymous=True, release_on=None
        )
        services.report_release(report=report, by=secretary)
        released += 1
    return released


def seed_returning(ctx: DemoContext) -> None:
    """The current cycle's applicants that applied in 2017 too have answered their previous opportunities
    (written as the record of what they said when they applied)."""
    for application in Application.objects.filter(cycle=ctx.cycles["current"]).select_related("cycle"):
        previous, items = selectors.previous_opportunities(application)
        if previous is None or OpportunityResponse.objects.filter(application=application).exists():
            continue
        OpportunityResponse.objects.bulk_create(
            [
                OpportunityResponse(
                    application=application,
                    source=o.source,
                    number=o.number,
                    opportunity=o.text,
                    action_taken="已制定改进计划并于次年实施，相关数据见自评报告。" if n % 2 == 0 else "",
                )
                for n, o in enumerate(items)
            ]
        )


def seed(ctx: DemoContext) -> None:
    n = seed_2017(ctx)
    seed_returning(ctx)
    ctx.log(f"Feedback reports: {n} reports of 2017 released to their applicants.")

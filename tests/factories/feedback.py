"""A small reviewed cycle for feedback reports: applications, five-expert panels, comments."""

from __future__ import annotations

from awards.enums import ApplicationStatus, CycleRole
from awards.models import CriteriaCategory
from reviews.enums import RoundKind
from reviews.models import CategoryFeedback

from .awards import ApplicationFactory, CycleMembershipFactory
from .core import UserFactory
from .enterprises import MembershipFactory
from .reviews import framework_items, panel_with, submitted_sheet

EXPERT_NAMES = ["王建国", "李秀英", "张伟", "刘洋", "陈静"]


def experts_of(cycle, n=5, prefix="x"):
    return [
        CycleMembershipFactory(
            cycle=cycle,
            role=CycleRole.EXPERT,
            user=UserFactory(email=f"{prefix}{i}-{cycle.pk}@pool.cn", full_name=EXPERT_NAMES[i % len(EXPERT_NAMES)]),
        ).user
        for i in range(n)
    ]


def reviewed_application(cycle, experts, percents, *, enterprise=None, kind=RoundKind.MATERIAL, comments=True):
    """An application in review whose five experts all gave `percents` (category code → %, or one int).

    Each expert comments on every category (strengths and opportunities)."""
    kwargs = {"enterprise": enterprise} if enterprise else {}
    application = ApplicationFactory(cycle=cycle, status=ApplicationStatus.MATERIAL_REVIEW, **kwargs)
    if not application.enterprise.memberships.exists():
        MembershipFactory(enterprise=application.enterprise, role="owner")
    panel, assignments = panel_with(application, experts, kind=kind)
    items = framework_items(cycle)
    if isinstance(percents, int):
        values = {i.code: percents for i in items}
    else:
        values = {i.code: percents[i.category.code] for i in items}
    for n, a in enumerate(assignments):
        sheet = submitted_sheet(a, values)
        if comments:
            CategoryFeedback.objects.bulk_create(
                [
                    CategoryFeedback(
                        sheet=sheet,
                        category=c,
                        strengths=f"{c.code} 优势 {n}",
                        opportunities=f"{c.code} 改进 {n}",
                    )
                    for c in CriteriaCategory.objects.filter(framework=cycle.framework)
                ]
            )
    return application


def fill_report(report, by, *, text="持续改进"):
    """Give every category of the report strengths and opportunities (through the service)."""
    from feedback.services import report_save

    cats = {rc.category_id: (f"{text}：优势", f"{text}：机会一\n{text}：机会二") for rc in report.categories.all()}
    return report_save(report=report, by=by, categories=cats, key_themes="主题", site_findings="")

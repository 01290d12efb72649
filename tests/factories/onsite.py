"""A shortlisted application with a material panel (some items flagged) and an on-site panel."""

from __future__ import annotations

from dataclasses import dataclass

from awards.enums import ApplicationStatus, CycleRole
from awards.models import Application
from onsite.enums import IssueKind
from onsite.models import ItemFlag
from reviews.enums import RoundKind

from .awards import ApplicationFactory, CycleMembershipFactory
from .core import UserFactory
from .reviews import framework_items, panel_with


@dataclass
class Shortlisted:
    application: Application
    material: list  # assignments
    onsite: list  # assignments; [0] leads
    leader: object
    member: object
    outsider: object  # an expert of the cycle on neither panel
    items: list


def shortlisted(cycle, *, enterprise=None, flags=True, leader=None) -> Shortlisted:
    def expert(name):
        return CycleMembershipFactory(
            cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email=f"{name}@pool.cn")
        ).user

    app = ApplicationFactory(
        cycle=cycle, status=ApplicationStatus.ONSITE_REVIEW, **({"enterprise": enterprise} if enterprise else {})
    )
    m_experts = [expert(f"m{i}-{app.pk}") for i in range(3)]
    o_experts = [leader or expert(f"o0-{app.pk}")] + [expert(f"o{i}-{app.pk}") for i in range(1, 3)]
    _p, material = panel_with(app, m_experts)
    _q, onsite = panel_with(app, o_experts, kind=RoundKind.ONSITE)
    items = framework_items(cycle)
    if flags:
        ItemFlag.objects.create(
            assignment=material[0], item=items[0], kind=IssueKind.VERIFY, note="核实高层领导述职记录"
        )
        ItemFlag.objects.create(assignment=material[1], item=items[0], kind=IssueKind.CLARIFY, note="澄清治理结构")
        ItemFlag.objects.create(assignment=material[1], item=items[5], kind=IssueKind.VERIFY, note="核实顾客满意度调查")
    return Shortlisted(
        application=app,
        material=material,
        onsite=onsite,
        leader=o_experts[0],
        member=o_experts[1],
        outsider=expert(f"x-{app.pk}"),
        items=items,
    )

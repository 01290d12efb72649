import datetime as dt

import factory
from django.utils import timezone

from awards.models import CriteriaItem
from reviews import panel_scores
from reviews.enums import AssignmentStatus, RoundKind, SheetStatus
from reviews.models import Assignment, ExpertProfile, ItemScore, Panel, ReviewRound, ScoreSheet

from .awards import ApplicationFactory, CycleFactory
from .core import UserFactory


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    title = "高级工程师"
    employer = "湖南省质量研究院"
    industries = factory.LazyFunction(lambda: ["C"])


class ReviewRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewRound
        django_get_or_create = ("cycle", "kind")

    cycle = factory.SubFactory(CycleFactory)
    kind = RoundKind.MATERIAL
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=5))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=20))


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel

    round = factory.SubFactory(ReviewRoundFactory)
    application = factory.SubFactory(ApplicationFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    panel = factory.SubFactory(PanelFactory)
    expert = factory.SubFactory(UserFactory)
    status = AssignmentStatus.ACCEPTED


def framework_items(cycle):
    return list(CriteriaItem.objects.filter(category__framework=cycle.framework).order_by("category__order", "order"))


def submitted_sheet(assignment, percents, *, status=SheetStatus.SUBMITTED, submitted_at=None):
    """A sheet with the given percentages: a dict item code -> percent, or one int for every item."""
    items = framework_items(assignment.panel.round.cycle)
    sheet = ScoreSheet.objects.create(
        assignment=assignment,
        status=status,
        submitted_at=(submitted_at or timezone.now()) if status == SheetStatus.SUBMITTED else None,
    )
    values = percents if isinstance(percents, dict) else {i.code: percents for i in items}
    ItemScore.objects.bulk_create(
        [ItemScore(sheet=sheet, item=i, percent=values[i.code]) for i in items if i.code in values]
    )
    if status == SheetStatus.SUBMITTED:  # as sheet_submit does: the panel's stored score follows
        panel_scores.refresh(panel_ids=[assignment.panel_id])
    return sheet


def panel_with(application, experts, *, kind=RoundKind.MATERIAL, leader=0, **round_kwargs):
    rnd = ReviewRoundFactory(cycle=application.cycle, kind=kind, **round_kwargs)
    panel = PanelFactory(round=rnd, application=application)
    assignments = [AssignmentFactory(panel=panel, expert=e, is_leader=(i == leader)) for i, e in enumerate(experts)]
    return panel, assignments


def recorded_consensus(*, panel, item, percent, recorded_by, rationale="r"):
    """A consensus score recorded outside the service (no flag check); the panel's stored score follows."""
    from reviews.models import Consensus

    consensus = Consensus.objects.create(
        panel=panel, item=item, percent=percent, rationale=rationale, recorded_by=recorded_by
    )
    panel_scores.refresh(panel_ids=[panel.pk])
    return consensus

"""Decisions from the ranking with the presentation weighted in, and the decision stored as made."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.enums import ApplicationStatus
from awards.models import AwardCycle
from reviews import selectors, services
from reviews.enums import RankingBasis, RoundKind
from reviews.models import Panel, RankingDecision
from tests.factories.awards import ApplicationFactory
from tests.factories.core import UserFactory
from tests.factories.reviews import AssignmentFactory, submitted_sheet
from vetting.enums import SessionStatus
from vetting.models import PresentationScore, PresentationSession, PresentationSlot
from vetting.services import presentation_results_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(cycle, material_round, secretary, other_experts, expert):
    """A, B and C after the material round: every expert gave every item 70 %, 65 % and 60 % (panel
    scores 700.00, 650.00, 600.00 of 1000); presentations scored 50, 100 and 80 of 100."""

    def scored(pct, presentation):
        app = ApplicationFactory(cycle=cycle, status=ApplicationStatus.MATERIAL_REVIEW, submitted_at=timezone.now())
        panel = Panel.objects.create(round=material_round, application=app)
        for i, e in enumerate([*other_experts, expert]):
            submitted_sheet(AssignmentFactory(panel=panel, expert=e, is_leader=i == 0), pct)
        return app, presentation

    return [scored(70, 50), scored(65, 100), scored(60, 80)]


def _present(cycle, secretary, apps, weight):
    """Each application heard and scored by one panel member, with the weight then in force."""
    AwardCycle.objects.filter(pk=cycle.pk).update(presentation_weight=weight)
    cycle.refresh_from_db()
    session = PresentationSession.objects.create(
        cycle=cycle,
        starts_at=timezone.now(),
        duration_minutes=120,
        place="会议室",
        created_by=secretary,
        status=SessionStatus.CLOSED,
    )
    member = UserFactory()
    for app, score in apps:
        slot = PresentationSlot.objects.create(session=session, application=app, starts_at=session.starts_at)
        PresentationScore.objects.create(
            slot=slot, by=member, score=score, scale_max=100, weight=weight, given_at=timezone.now()
        )
    presentation_results_refresh(application_ids=[app.pk for app, _s in apps])


def test_weight_20_puts_b_first_and_the_office_shortlists_it(three, cycle, secretary):
    # w = 20 %: A (0.8 × 0.70 + 0.2 × 0.50) × 1000 = 660.00; B (0.8 × 0.65 + 0.2 × 1.00) × 1000 = 720.00;
    # C (0.8 × 0.60 + 0.2 × 0.80) × 1000 = 640.00. With the presentation: B, A, C; panel only: A, B, C.
    (a, _), (b, _), (c, _) = three
    _present(cycle, secretary, three, 20)
    ranking = selectors.cycle_ranking(cycle=cycle, basis=RankingBasis.MATERIAL)
    assert [(r.application.pk, r.rank, r.decisive) for r in ranking] == [
        (b.pk, 1, Decimal("720.00")),
        (a.pk, 2, Decimal("660.00")),
        (c.pk, 3, Decimal("640.00")),
    ]
    panel_only = selectors.cycle_ranking(cycle=cycle, basis=RankingBasis.MATERIAL, by_presentation=False)
    assert [r.application.pk for r in panel_only] == [a.pk, b.pk, c.pk]
    summary = selectors.ranking_summary(
        selectors.ranked_applications(cycle=cycle, basis=RankingBasis.MATERIAL), basis=RankingBasis.MATERIAL, cut=2
    )
    assert summary.cut_score == Decimal("660.00")  # the cut-off reads the score decided on

    moved, dropped = services.ranking_decide(cycle=cycle, kind=RoundKind.MATERIAL, by=secretary, top_n=1)
    assert [m.pk for m in moved] == [b.pk] and {d.pk for d in dropped} == {a.pk, c.pk}
    decisions = {d.application_id: d for d in RankingDecision.objects.filter(kind=RoundKind.MATERIAL)}
    stored = decisions[b.pk]
    assert (stored.rank, stored.panel_score, stored.presentation_mean, stored.presentation_weight, stored.score) == (
        1,
        Decimal("650.00"),
        Decimal("100.00"),
        20,
        Decimal("720.00"),
    )
    assert stored.moved_on and stored.decided_by == secretary
    assert (decisions[a.pk].rank, decisions[a.pk].score, decisions[a.pk].moved_on) == (2, Decimal("660.00"), False)
    assert (decisions[c.pk].rank, decisions[c.pk].score) == (3, Decimal("640.00"))
    # The decision holds: a score changed afterwards does not move what was decided.
    PresentationScore.objects.filter(slot__application=a).update(score=100)
    presentation_results_refresh(application_ids=[a.pk])
    assert selectors.ranking_decisions([a.pk])[a.pk].score == Decimal("660.00")
    assert selectors.decided_position(decisions[b.pk]).with_presentation == Decimal("720.00")


def test_weight_20_threshold_compares_the_score_with_the_presentation(three, cycle, secretary):
    (a, _), (b, _), (c, _) = three
    _present(cycle, secretary, three, 20)
    moved, _dropped = services.ranking_decide(
        cycle=cycle, kind=RoundKind.MATERIAL, by=secretary, threshold=Decimal("650")
    )
    # B 720.00 and A 660.00 reach 650; C (600.00 on the panel, 640.00 with the presentation) does not.
    assert {m.pk for m in moved} == {a.pk, b.pk}


def test_weight_0_keeps_the_panel_order_and_stores_no_weight(three, cycle, secretary):
    (a, _), (b, _), (c, _) = three
    _present(cycle, secretary, three, 0)
    ranking = selectors.cycle_ranking(cycle=cycle, basis=RankingBasis.MATERIAL)
    assert [(r.application.pk, r.decisive, r.with_presentation) for r in ranking] == [
        (a.pk, Decimal("700.00"), None),
        (b.pk, Decimal("650.00"), None),
        (c.pk, Decimal("600.00"), None),
    ]
    moved, _dropped = services.ranking_decide(cycle=cycle, kind=RoundKind.MATERIAL, by=secretary, top_n=1)
    assert [m.pk for m in moved] == [a.pk]
    stored = RankingDecision.objects.get(application=a)
    assert (stored.rank, stored.panel_score, stored.presentation_mean, stored.presentation_weight, stored.score) == (
        1,
        Decimal("700.00"),
        Decimal("50.00"),
        0,
        Decimal("700.00"),
    )
    assert stored.with_presentation is None


def test_the_ranking_page_orders_with_the_presentation_and_compares_with_the_panel(three, cycle, secretary, client_for):
    (a, _), (b, _), (c, _) = three
    _present(cycle, secretary, three, 20)
    c_ = client_for(secretary)
    url = reverse("reviews:ranking", args=[cycle.pk])
    page = c_.get(url, {"basis": "material", "cut": "2"}).content.decode()
    assert page.index(b.display_name) < page.index(a.display_name) < page.index(c.display_name)
    assert "660.00" in page and "order=panel" in page
    page = c_.get(url, {"basis": "material", "order": "panel"}).content.decode()
    assert page.index(a.display_name) < page.index(b.display_name) < page.index(c.display_name)

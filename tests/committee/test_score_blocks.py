"""The committee sees the expert scores: the report's evaluation block, the dossier's scores, and the
agenda ordered by the expert ranking. Figures are chosen to be checked by hand:

GB/T 19580 has 1000 points. Every expert gives one percentage to every item, so a sheet totals
10 × percentage, and a two-expert panel (no trimming under five) scores the mean of its sheets.
  A: material 50 % and 60 % → 550 (gap 100, sd 50); on-site 70 % and 70 % → 700
  B: material 80 % and 80 % → 800 (gap 0, sd 0);   on-site 60 % and 60 % → 600
Combined (0.4 / 0.6): A = 220 + 420 = 640, B = 320 + 360 = 680, so B ranks first although A was
nominated first.
"""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from awards.enums import CycleRole
from awards.models import AwardCycle, CriteriaCategory
from committee import selectors
from committee.models import Meeting
from committee.pdf import report_context
from reviews.enums import RoundKind
from reviews.models import CategoryFeedback, ScoreSheet
from tests.factories.awards import CycleMembershipFactory
from tests.factories.committee import nominated_application, schedule
from tests.factories.core import UserFactory
from tests.factories.reviews import framework_items, panel_with, recorded_consensus, submitted_sheet
from vetting.enums import SessionStatus
from vetting.models import PresentationScore, PresentationSession, PresentationSlot
from vetting.services import presentation_results_refresh

pytestmark = pytest.mark.django_db


def _experts(cycle, n, start=0):
    return [
        CycleMembershipFactory(
            cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email=f"e{start + i}@pool.example.cn")
        ).user
        for i in range(n)
    ]


def _score(application, kind, experts, percents):
    panel, assignments = panel_with(application, experts, kind=kind)
    sheets = [submitted_sheet(a, p) for a, p in zip(assignments, percents, strict=True)]
    return panel, sheets


@pytest.fixture
def scored(cycle, enterprise_a, enterprise_b, secretary, members):
    mat, ons = _experts(cycle, 2), _experts(cycle, 2, start=2)
    a = nominated_application(cycle, enterprise=enterprise_a)
    b = nominated_application(cycle, enterprise=enterprise_b)
    _pa, sheets_a = _score(a, RoundKind.MATERIAL, mat, [50, 60])
    onsite_a, onsite_sheets = _score(a, RoundKind.ONSITE, ons, [70, 70])
    _score(b, RoundKind.MATERIAL, mat, [80, 80])
    _score(b, RoundKind.ONSITE, ons, [60, 60])
    first = CriteriaCategory.objects.filter(framework=cycle.framework).order_by("order", "code").first()
    CategoryFeedback.objects.create(
        sheet=sheets_a[0], category=first, strengths="领导层亲自推动质量战略", opportunities="数据分析尚未系统化"
    )
    ScoreSheet.objects.filter(pk=onsite_sheets[0].pk).update(overall_comment="现场查看了生产线与质量实验室")
    item = framework_items(cycle)[0]
    recorded_consensus(panel=onsite_a, item=item, percent=70, rationale="现场核实后一致同意", recorded_by=ons[0])
    meeting = schedule(cycle, secretary)
    return {"a": a, "b": b, "meeting": meeting, "first": first}


def test_agenda_follows_the_expert_ranking(scored):
    ballots = {b.application_id: b.rank for b in scored["meeting"].ballots.all()}
    assert ballots == {scored["b"].pk: 1, scored["a"].pk: 2}


def test_secretary_can_still_change_the_order(scored, secretary):
    from committee.services import ballot_ranks_set

    meeting = scored["meeting"]
    ranks = {b.pk: (1 if b.application_id == scored["a"].pk else 2) for b in meeting.ballots.all()}
    ballot_ranks_set(meeting=meeting, by=secretary, ranks=ranks)
    assert {b.application_id: b.rank for b in meeting.ballots.all()} == {scored["a"].pk: 1, scored["b"].pk: 2}


def test_agenda_sync_appends_late_nominees_in_expert_order(cycle, secretary, members):
    from committee.services import meeting_agenda_sync

    meeting = schedule(cycle, secretary)
    late = [nominated_application(cycle) for _ in range(2)]
    experts = _experts(cycle, 1)
    _score(late[0], RoundKind.MATERIAL, experts, [40])
    _score(late[1], RoundKind.MATERIAL, experts, [90])
    _score(late[0], RoundKind.ONSITE, experts, [40])
    _score(late[1], RoundKind.ONSITE, experts, [90])
    assert meeting_agenda_sync(meeting=meeting, by=secretary) == 2
    assert {b.application_id: b.rank for b in meeting.ballots.all()} == {late[1].pk: 1, late[0].pk: 2}


def test_report_block_figures(scored):
    block = selectors.expert_review_report(scored["meeting"])
    ctx = block.context
    assert ctx["total_experts"] == 4
    mat, ons = ctx["rounds"]
    assert (mat["kind"], mat["panels"], mat["experts"], mat["scored"]) == (RoundKind.MATERIAL, 2, 2, 2)
    assert (mat["highest"], mat["lowest"], mat["gap"], mat["sd"]) == (
        Decimal("800.00"),
        Decimal("550.00"),
        Decimal("50.00"),
        Decimal("25.00"),
    )
    assert (ons["highest"], ons["lowest"], ons["gap"], ons["sd"]) == (
        Decimal("700.00"),
        Decimal("600.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert ctx["histogram_rows"] == [
        ("550–599", [1, 0]),
        ("600–649", [0, 1]),
        ("650–699", [0, 0]),
        ("700–749", [0, 1]),
        ("750–799", [0, 0]),
        ("800–849", [1, 0]),
    ]
    nominees = [(b.application_id, r.material, r.onsite, r.combined, r.rank, b.rank) for b, r, _p in ctx["nominees"]]
    assert nominees == [
        (scored["b"].pk, Decimal("800.00"), Decimal("600.00"), Decimal("680.00"), 1, 1),
        (scored["a"].pk, Decimal("550.00"), Decimal("700.00"), Decimal("640.00"), 2, 2),
    ]


def test_report_page_shows_the_evaluation(scored, client_for, committee_member):
    page = client_for(committee_member).get(reverse("committee:report", args=[scored["meeting"].pk])).content.decode()
    assert 'data-score-chart="histogram"' in page and 'id="score-chart-histogram"' in page
    assert "680.00" in page and "640.00" in page and "550–599" in page


def test_report_figures_kept_per_state_follow_a_new_stored_score(
    scored, cycle, client_for, committee_member, secretary, django_assert_max_num_queries
):
    """The report's figures are made once per state and kept: a member and the office see the same
    ones, a second view makes fewer queries, and a score stored without any recorded change (no audit
    event) shows at once, because the kept figures follow the stored panel scores."""
    url = reverse("committee:report", args=[scored["meeting"].pk])
    member = client_for(committee_member)
    with django_assert_max_num_queries(80) as first:
        before = member.get(url).content.decode()
    with django_assert_max_num_queries(len(first.captured_queries) - 5):
        assert member.get(url).status_code == 200
    again = client_for(secretary).get(url).content.decode()
    assert "680.00" in before and "850–899" not in before

    def main(html):
        return html.split('id="apps-heading"', 1)[1].split('id="nominees-heading"', 1)[0]

    assert main(again) == main(before)
    _score(nominated_application(cycle), RoundKind.MATERIAL, _experts(cycle, 2, start=10), [90, 90])
    after = member.get(url).content.decode()
    assert "850–899" in after and "680.00" in after


def test_report_pdf_renders_the_block(scored):
    html = render_to_string("committee/pdf/report.html", {**report_context(scored["meeting"]), "generated_at": 1})
    assert "680.00" in html and "<canvas" not in html and "550–599" in html


def _presented(application, secretary, scores, weight=20):
    """The application heard in a presentation session: the panel's scores out of 100, given with `weight`."""
    session = PresentationSession.objects.create(
        cycle=application.cycle,
        starts_at=timezone.now(),
        duration_minutes=60,
        place="会议室",
        created_by=secretary,
        status=SessionStatus.CLOSED,
    )
    slot = PresentationSlot.objects.create(session=session, application=application, starts_at=session.starts_at)
    for score in scores:
        PresentationScore.objects.create(
            slot=slot, by=UserFactory(), score=score, scale_max=100, weight=weight, given_at=timezone.now()
        )
    presentation_results_refresh(application_ids=[application.pk])


def test_report_shows_the_presentation_figures_as_the_dossier_does(scored, secretary):
    # A: combined 640 of 1000 = 0.64; presentation (85 + 75) / 2 = 80 of 100 = 0.80; weight 20 %:
    # (0.8 × 0.64 + 0.2 × 0.80) × 1000 = (0.512 + 0.16) × 1000 = 672.00. B was not heard.
    AwardCycle.objects.filter(pk=scored["a"].cycle_id).update(presentation_weight=20)
    _presented(scored["a"], secretary, [85, 75])
    meeting = Meeting.objects.get(pk=scored["meeting"].pk)
    ctx = selectors.expert_review_report(meeting).context
    assert ctx["with_presentation"] and ctx["presentation_weight"] == 20
    figures = {b.application_id: (p.mean if p else None, r.with_presentation) for b, r, p in ctx["nominees"]}
    assert figures == {scored["a"].pk: (Decimal("80.00"), Decimal("672.00")), scored["b"].pk: (None, None)}
    dossier = selectors.candidate_scores(meeting.ballots.get(application=scored["a"])).context["ranking"]
    assert (dossier.presentation.mean, dossier.with_presentation) == (Decimal("80.00"), Decimal("672.00"))
    html = render_to_string("committee/pdf/report.html", {**report_context(meeting), "generated_at": 1})
    assert "80.00" in html and "672.00" in html and "<canvas" not in html


def test_the_agenda_follows_the_ranking_with_the_presentation_weighted_in(cycle, secretary, members):
    # Panel (combined 0.4 × material + 0.6 × on-site): A 0.4 × 550 + 0.6 × 700 = 640.00 < B 680.00.
    # With the presentation at 20 %: A (0.8 × 0.64 + 0.2 × 0.80) × 1000 = 672.00 comes first (B was not heard).
    from committee.services import meeting_agenda_sync

    mat, ons = _experts(cycle, 2), _experts(cycle, 2, start=2)
    a, b = nominated_application(cycle), nominated_application(cycle)
    _score(a, RoundKind.MATERIAL, mat, [50, 60])
    _score(a, RoundKind.ONSITE, ons, [70, 70])
    _score(b, RoundKind.MATERIAL, mat, [80, 80])
    _score(b, RoundKind.ONSITE, ons, [60, 60])
    AwardCycle.objects.filter(pk=cycle.pk).update(presentation_weight=20)
    cycle.refresh_from_db()
    _presented(a, secretary, [85, 75])
    meeting = schedule(cycle, secretary)
    meeting_agenda_sync(meeting=meeting, by=secretary)
    assert {x.application_id: x.rank for x in meeting.ballots.all()} == {a.pk: 1, b.pk: 2}


def test_the_committee_pages_show_the_decision_as_it_was_stored(scored, secretary):
    from reviews.enums import RankingBasis
    from reviews.models import RankingDecision

    AwardCycle.objects.filter(pk=scored["a"].cycle_id).update(presentation_weight=20)
    _presented(scored["a"], secretary, [85, 75])  # today 672.00 with the presentation
    RankingDecision.objects.create(
        cycle_id=scored["a"].cycle_id,
        application=scored["a"],
        kind=RankingBasis.ONSITE,
        rank=1,
        material=Decimal("550.00"),
        onsite=Decimal("700.00"),
        combined=Decimal("640.00"),
        panel_score=Decimal("700.00"),
        presentation_mean=Decimal("90.00"),
        presentation_scale=100,
        presentation_weight=20,
        score=Decimal("740.00"),  # as decided then: (0.8 × 0.70 + 0.2 × 0.90) × 1000
        moved_on=True,
        decided_by=secretary,
        decided_at=timezone.now(),
    )
    meeting = Meeting.objects.get(pk=scored["meeting"].pk)
    ctx = selectors.expert_review_report(meeting).context
    figures = {x.application_id: (r.rank, r.with_presentation) for x, r, _p in ctx["nominees"]}
    assert figures[scored["a"].pk] == (1, Decimal("740.00"))
    assert figures[scored["b"].pk][1] is None  # no stored decision: its live place
    dossier = selectors.candidate_scores(meeting.ballots.get(application=scored["a"])).context["ranking"]
    assert (dossier.rank, dossier.with_presentation) == (1, Decimal("740.00"))


def test_report_has_no_presentation_columns_without_a_presentation(scored):
    ctx = selectors.expert_review_report(scored["meeting"]).context
    assert not ctx["with_presentation"]
    html = render_to_string("committee/pdf/report.html", {**report_context(scored["meeting"]), "generated_at": 1})
    assert "With presentation" not in html and "加权" not in html


def test_dossier_block_figures(scored):
    ballot = scored["meeting"].ballots.get(application=scored["a"])
    ctx = selectors.candidate_scores(ballot).context
    assert (ctx["material"].total, ctx["onsite"].total) == (Decimal("550.00"), Decimal("700.00"))
    assert (ctx["ranking"].combined, ctx["ranking"].rank) == (Decimal("640.00"), 2)
    first = scored["first"]
    row = ctx["rows"][0]
    assert row["category"] == first
    # the category's points × 55 % (material), × 70 % (on-site); the cycle average of the latest rounds
    # is (70 % + 60 %) / 2 = 65 %
    assert row["material"] == (Decimal(first.points) * Decimal("0.55")).quantize(Decimal("0.01"))
    assert row["onsite"] == (Decimal(first.points) * Decimal("0.70")).quantize(Decimal("0.01"))
    assert row["average"] == (Decimal(first.points) * Decimal("0.65")).quantize(Decimal("0.01"))
    assert row["strengths"] == [("领导层亲自推动质量战略", 1)] and row["opportunities"] == [("数据分析尚未系统化", 1)]
    assert ctx["visit_comments"] == [("现场查看了生产线与质量实验室", 1)]
    assert [c.rationale for c in ctx["onsite"].consensus_items] == ["现场核实后一致同意"]
    assert ctx["chart"]["series"][1]["data"][0] == float(row["average"])


def test_dossier_page_shows_the_scores(scored, client_for, committee_member):
    ballot = scored["meeting"].ballots.get(application=scored["a"])
    page = client_for(committee_member).get(reverse("committee:dossier", args=[ballot.pk])).content.decode()
    for text in (
        "550.00",
        "700.00",
        "640.00",
        "领导层亲自推动质量战略",
        "现场查看了生产线与质量实验室",
        "现场核实后一致同意",
    ):
        assert text in page
    assert 'id="score-chart-categories"' in page


def test_identical_comments_are_shown_once_with_their_count():
    assert selectors._tally(["好", " 好 ", "", "差", "好"]) == [("好", 3), ("差", 1)]


def test_blocks_absent_without_reviews(cycle, secretary, members, candidates):
    meeting = schedule(cycle, secretary)
    assert selectors.expert_review_report(meeting) is None
    assert selectors.candidate_scores(meeting.ballots.first()) is None


def _scored_meeting(cycle, secretary, n, start):
    experts = _experts(cycle, 3, start=start)
    for i in range(n):
        app = nominated_application(cycle)
        _score(app, RoundKind.MATERIAL, experts, [50 + i * 5, 60, 55])
        _score(app, RoundKind.ONSITE, experts, [60, 65 + i * 5, 70])
    return schedule(cycle, secretary)


def test_queries_do_not_grow_with_candidates(
    secretary, members, committee_member, client_for, django_assert_max_num_queries, cycle
):
    from committee.models import Meeting

    c = client_for(committee_member)
    meeting = _scored_meeting(cycle, secretary, 2, 100)
    ballot = meeting.ballots.first()
    with django_assert_max_num_queries(80) as small_report:
        assert c.get(reverse("committee:report", args=[meeting.pk])).status_code == 200
    with django_assert_max_num_queries(80) as small_dossier:
        assert c.get(reverse("committee:dossier", args=[ballot.pk])).status_code == 200
    Meeting.objects.filter(pk=meeting.pk).update(status="closed")
    meeting = _scored_meeting(cycle, secretary, 6, 200)
    assert meeting.ballots.count() == 8
    with django_assert_max_num_queries(len(small_report.captured_queries)):
        assert c.get(reverse("committee:report", args=[meeting.pk])).status_code == 200
    ballot = meeting.ballots.first()
    with django_assert_max_num_queries(len(small_dossier.captured_queries)):
        assert c.get(reverse("committee:dossier", args=[ballot.pk])).status_code == 200

"""The review-health block of the committee's report: live before the close, stored at the close."""

import pytest
from django.urls import reverse

from awards.enums import CycleRole
from committee import selectors, services
from reviews.enums import RoundKind
from reviews.models import ItemScore
from tests.factories.awards import CycleMembershipFactory
from tests.factories.core import UserFactory
from tests.factories.reviews import panel_with, submitted_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(cycle, candidates):
    experts = [
        CycleMembershipFactory(
            cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(full_name=f"Expert {i}", email=f"h{i}@pool.example.cn")
        ).user
        for i in range(3)
    ]
    for app, pcts in zip(candidates, [[50, 60, 70], [70, 80, 75]], strict=True):
        _panel, assignments = panel_with(app, experts, kind=RoundKind.MATERIAL)
        for a, p in zip(assignments, pcts, strict=True):
            submitted_sheet(a, p)
    return candidates


def _close(meeting, members, secretary):
    for ballot in meeting.ballots.order_by("rank"):
        services.ballot_open(ballot=ballot, by=secretary)
        for m in members[:5]:
            services.vote_cast(ballot=ballot, by=m, choice="approve")
        services.ballot_close(ballot=ballot, by=secretary)
    return services.meeting_close(meeting=meeting, by=secretary)


def test_the_block_is_live_until_the_close_then_stored(scored, open_meeting, members, secretary):
    block = selectors.review_health_report(open_meeting)
    assert block.template == "committee/_block_review_health.html" and block.context["stored"] is False
    (material,) = block.context["health"]["rounds"]
    # panel means 600 and 750: Expert 0 −100 and −50, Expert 1 0 and +50, Expert 2 +100 and 0
    assert {x["name"]: x["deviation"] for x in material["leniency"]} == {
        "Expert 2": 50.0,
        "Expert 1": 25.0,
        "Expert 0": -75.0,
    }
    meeting = _close(open_meeting, members, secretary)
    assert meeting.health_record["rounds"][0]["leniency"][0]["deviation"] == 50.0
    # a score changed afterwards does not change what the committee saw
    ItemScore.objects.filter(sheet__assignment__expert__full_name="Expert 0").update(percent=100)
    block = selectors.review_health_report(meeting)
    assert block.context["stored"] is True
    assert block.context["health"]["rounds"][0]["leniency"][-1]["deviation"] == -75.0


def test_no_block_without_scores(open_meeting):
    assert selectors.review_health_report(open_meeting) is None


def test_report_page_and_pdf_show_the_block(scored, open_meeting, client_for, committee_member):
    from django.template.loader import render_to_string

    from committee.pdf import report_context

    page = client_for(committee_member).get(reverse("committee:report", args=[open_meeting.pk])).content.decode()
    assert 'id="health-heading"' in page and "ICC(1,1)" in page and "Expert 0" in page
    html = render_to_string("committee/pdf/report.html", {**report_context(open_meeting), "generated_at": 1})
    assert "ICC(1,1)" in html and 'id="health-heading"' not in html

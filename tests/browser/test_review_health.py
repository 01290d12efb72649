"""Review health in the committee's report and the office's page; the expert record: a leader rates a
member, the office reads the record with who rated, the expert reads their own. Screenshots zh and en."""

import pytest

from awards.enums import CycleRole
from committee.services import attendance_record, meeting_open
from reviews.enums import RoundKind
from reviews.models import ExpertRating
from tests.factories.awards import CycleMembershipFactory
from tests.factories.committee import committee_of, nominated_application, schedule
from tests.factories.core import UserFactory
from tests.factories.reviews import ExpertProfileFactory, panel_with, submitted_sheet

from .conftest import SCREENSHOTS, axe_violations, login_as, switch_language

MATERIAL = [[55, 70, 60, 65, 50], [75, 80, 70, 85, 70], [40, 55, 45, 50, 40]]
ONSITE = [[65, 70, 65, 75, 60], [70, 80, 70, 80, 75], [45, 50, 45, 55, 45]]


def _shoot(page, name, locator=None, width=None):
    """Check accessibility, then a screenshot in Chinese and in English (of `locator` when given)."""
    assert axe_violations(page) == [], name
    for lang, label in (("zh", "English"), ("en", "中文")):
        target = page.locator(locator) if locator else page
        path = str(SCREENSHOTS / f"{name}-{lang}.png")
        target.screenshot(path=path) if locator else page.screenshot(path=path, full_page=False)
        switch_language(page, label)


@pytest.fixture
def scored(cycle, secretary, committee_member, enterprise_a, enterprise_b):
    members = committee_of(cycle, 7, existing=[committee_member])
    apps = [
        nominated_application(cycle, enterprise=enterprise_a),
        nominated_application(cycle, enterprise=enterprise_b),
        nominated_application(cycle),
    ]
    names = ["王评审 Wang", "李评审 Li", "张评审 Zhang", "赵评审 Zhao", "陈评审 Chen"]
    experts = []
    for i, n in enumerate(names):
        u = CycleMembershipFactory(
            cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(full_name=n, email=f"hx{i}@pool.example.cn")
        ).user
        ExpertProfileFactory(user=u)
        experts.append(u)
    for app, mat, ons in zip(apps, MATERIAL, ONSITE, strict=True):
        for kind, pcts in ((RoundKind.MATERIAL, mat), (RoundKind.ONSITE, ons)):
            _p, assignments = panel_with(app, experts, kind=kind)
            for a, p in zip(assignments, pcts, strict=True):
                submitted_sheet(a, p)
    meeting = schedule(cycle, secretary)
    meeting_open(meeting=meeting, by=secretary)
    attendance_record(meeting=meeting, by=secretary, present_ids=[u.pk for u in members[:5]])
    return meeting, experts


def test_review_health_and_the_expert_record(page, scored, secretary, committee_member, cycle):
    meeting, experts = scored
    # A committee member reads the block in the meeting report.
    login_as(page, committee_member)
    page.goto(page.base + f"/committee/meetings/{meeting.pk}/report/")
    block = page.locator("section[aria-labelledby=health-heading]")
    assert block.get_by_role("heading", name="评审质量").is_visible()
    assert block.locator("table.health-agreement").first.is_visible()
    assert "ICC(1,1)" in block.inner_text() and "王评审 Wang" in block.inner_text()
    assert block.locator("table.health-drift tbody tr").count() == 4  # three applications and the means
    _shoot(page, "committee-review-health", "section[aria-labelledby=health-heading]")

    # The office's page, live.
    login_as(page, secretary)
    page.goto(page.base + f"/reviews/office/cycle/{cycle.pk}/health/")
    assert page.locator("table.health-ranks tbody tr").count() == 6  # three per round
    _shoot(page, "reviews-health")

    # The panel leader (the first expert) rates a member from the panel page.
    leader, member = experts[0], experts[1]
    panel = leader.review_assignments.filter(panel__round__kind=RoundKind.MATERIAL).first().panel
    login_as(page, leader)
    page.goto(page.base + f"/reviews/panel/{panel.pk}/")
    page.locator("p.panel-rate").get_by_role("link", name="李评审 Li").click()
    page.wait_for_load_state("load")
    page.get_by_label("4 · 很好").first.check()
    page.locator("input[name=comments][value='5']").check()
    page.locator("input[name=conduct][value='5']").check()
    page.locator("#id_note").fill("意见具体，证据充分。")
    page.get_by_role("button", name="保存评价").click()
    page.wait_for_load_state("load")
    assert ExpertRating.objects.get(expert=member).timeliness == 4

    # The office reads the record with who rated; the expert reads their own without.
    login_as(page, secretary)
    page.goto(page.base + f"/reviews/office/cycle/{cycle.pk}/experts/{member.pk}/")
    assert "王评审 Wang" in page.locator("table.record-ratings").inner_text()
    _shoot(page, "reviews-expert-record")
    login_as(page, member)
    page.goto(page.base + "/reviews/record/")
    text = page.locator("table.record-ratings").inner_text()
    assert "意见具体，证据充分。" in text and "王评审" not in text
    _shoot(page, "reviews-my-record")
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SCREENSHOTS / "reviews-my-record-360-zh.png"), full_page=False)

"""Journey: an expert declares no conflict, scores every item and submits; as panel leader records a
consensus; the secretary sees the ranking. Screenshots of every review page in zh and en."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from awards.enums import ApplicationStatus, CycleRole
from awards.models import Application
from reviews.enums import AssignmentStatus, RoundKind
from reviews.models import Consensus, ScoreSheet
from tests.factories.awards import ApplicationFactory, CycleMembershipFactory
from tests.factories.core import UserFactory
from tests.factories.reviews import (
    AssignmentFactory,
    ExpertProfileFactory,
    PanelFactory,
    ReviewRoundFactory,
    framework_items,
    submitted_sheet,
)

from .conftest import SCREENSHOTS, axe_violations, login


def shot(page, name):
    """A viewport screenshot (long pages stay small enough to commit)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def _setup(cycle, application_a, enterprise_b, expert, secretary, applicant_a):
    from awards.services import application_submit
    from tests.factories.awards import fill_application

    # application A is filled in and submitted: the expert scores its submitted version
    fill_application(application_a, applicant_a)
    application_submit(application=application_a, by=applicant_a, notify=False)
    rnd = ReviewRoundFactory(cycle=cycle, kind=RoundKind.MATERIAL)
    Application.objects.filter(pk=application_a.pk).update(
        status=ApplicationStatus.MATERIAL_REVIEW, submitted_at=timezone.now() - dt.timedelta(days=20)
    )
    ExpertProfileFactory(user=expert)
    panel = PanelFactory(round=rnd, application=application_a)
    lead = AssignmentFactory(panel=panel, expert=expert, is_leader=True, status=AssignmentStatus.PENDING)
    items = framework_items(cycle)
    peers = []
    for i, pct in enumerate([40, 50, 55, 60]):
        u = CycleMembershipFactory(
            cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email=f"peer{i}@pool.example.cn", full_name=f"专家{i}")
        ).user
        ExpertProfileFactory(user=u)
        a = AssignmentFactory(panel=panel, expert=u)
        submitted_sheet(a, {it.code: (pct if it.code == "4.1.2" else 60 + 5 * (i % 2)) for it in items})
        peers.append(u)
    # a second, already scored application so that the ranking compares two
    other = ApplicationFactory(
        cycle=cycle,
        enterprise=enterprise_b,
        status=ApplicationStatus.MATERIAL_REVIEW,
        submitted_at=timezone.now() - dt.timedelta(days=21),
    )
    panel_b = PanelFactory(round=rnd, application=other)
    for k, u in enumerate(peers):
        submitted_sheet(AssignmentFactory(panel=panel_b, expert=u, is_leader=k == 0), 55)
    pending_b = AssignmentFactory(panel=panel_b, expert=expert, status=AssignmentStatus.PENDING)
    return panel, lead, pending_b


def test_expert_scores_leader_agrees_secretary_ranks(
    page, cycle, application_a, enterprise_b, expert, secretary, applicant_a
):
    panel, lead, pending_b = _setup(cycle, application_a, enterprise_b, expert, secretary, applicant_a)
    page.on("dialog", lambda d: d.accept())

    login(page, expert.email)
    page.goto(page.base + "/reviews/")
    assert axe_violations(page) == []
    shot(page, "reviews-my-work-zh")
    page.goto(page.base + "/reviews/profile/")
    shot(page, "reviews-profile-zh")
    page.goto(page.base + f"/reviews/assignment/{lead.pk}/declare/")
    assert "91431002" not in page.content()  # no material before the declaration
    assert axe_violations(page) == []
    shot(page, "reviews-declare-zh")
    page.get_by_label("本人与该企业不存在利益冲突。").check()
    page.get_by_role("button", name="提交声明").click()
    page.wait_for_load_state("load")
    assert "评分表" in page.locator("h1").inner_text()
    assert application_a.enterprise.credit_code in page.content()
    # the submitted version beside the sheet: self-assessment, key results, the files to download
    material = page.locator("section.material")
    assert "自评：方法展开学习整合" in material.inner_text() and "12000.00" in material.inner_text()
    page.locator("#s-sa").evaluate("el => el.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SCREENSHOTS / "reviews-sheet-material-zh.png"), full_page=False)
    with page.expect_download() as download:
        material.get_by_role("link", name="licence.pdf").click()
    assert download.value.suggested_filename == "licence.pdf"

    items = framework_items(cycle)
    for it in items:
        page.locator(f"#id_item-{it.pk}").fill("85" if it.code == "4.1.2" else "70")
    page.locator(f"#id_strengths-{items[0].category_id}").fill("高层领导亲自推进卓越绩效。")
    page.locator("#id_overall_comment").fill("整体水平较高。")
    page.wait_for_timeout(1500)  # the autosave
    assert "42.50" in page.locator(f"#item-{items[0].pk} .item-points").inner_text()
    assert axe_violations(page) == []
    shot(page, "reviews-sheet-zh")
    # The sheet first waits for an autosave in flight, then submits: wait for that navigation.
    with page.expect_navigation():
        page.get_by_role("button", name="提交评分表").click()
    assert ScoreSheet.objects.get(assignment=lead).status == "submitted"
    sheet_pk = ScoreSheet.objects.get(assignment=lead).pk

    # the panel page, now that the expert has submitted: 4.1.2 ranges 40–85, flagged
    assert "小组评分" in page.locator("h1").inner_text()
    page.locator(f"#cons-pct-{items[0].pk}").select_option("60")
    page.locator(f"#cons-why-{items[0].pk}").fill("经讨论，以现场证据为准取60%。")
    page.get_by_role("button", name="记录共识").click()
    page.wait_for_load_state("load")
    assert Consensus.objects.get(panel=panel).percent == 60
    assert axe_violations(page) == []
    shot(page, "reviews-panel-zh")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    shot(page, "reviews-panel-en")
    page.goto(page.base + f"/reviews/assignment/{lead.pk}/")
    shot(page, "reviews-sheet-en")
    page.goto(page.base + "/reviews/")
    shot(page, "reviews-my-work-en")
    page.goto(page.base + "/reviews/profile/")
    assert axe_violations(page) == []
    shot(page, "reviews-profile-en")
    page.goto(page.base + f"/reviews/assignment/{pending_b.pk}/declare/")
    shot(page, "reviews-declare-en")

    page.context.clear_cookies()
    login(page, secretary.email)
    page.goto(page.base + f"/reviews/office/cycle/{cycle.pk}/ranking/")
    assert "排名" in page.locator("h1").inner_text()
    first = page.locator("table.ranking tbody tr").first
    assert application_a.enterprise.name_zh in first.inner_text()
    assert axe_violations(page) == []
    shot(page, "reviews-ranking-zh")
    page.goto(page.base + f"/reviews/office/cycle/{cycle.pk}/")
    assert axe_violations(page) == []
    shot(page, "reviews-dashboard-zh")
    page.goto(page.base + f"/reviews/office/round/{panel.round_id}/panels/")
    assert axe_violations(page) == []
    shot(page, "reviews-panels-zh")
    page.goto(page.base + f"/reviews/office/cycle/{cycle.pk}/experts/")
    assert axe_violations(page) == []
    shot(page, "reviews-experts-zh")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    shot(page, "reviews-experts-en")
    for path, name in [
        (f"/reviews/office/cycle/{cycle.pk}/ranking/", "reviews-ranking-en"),
        (f"/reviews/office/cycle/{cycle.pk}/", "reviews-dashboard-en"),
        (f"/reviews/office/round/{panel.round_id}/panels/", "reviews-panels-en"),
        (f"/reviews/office/round/{panel.round_id}/panels/{application_a.pk}/", "reviews-panel-form-en"),
        (f"/reviews/office/cycle/{cycle.pk}/round/onsite/", "reviews-round-en"),
        ("/reviews/office/", "reviews-cycles-en"),
        (f"/reviews/office/sheet/{sheet_pk}/reopen/", "reviews-reopen-en"),
    ]:
        page.goto(page.base + path)
        assert axe_violations(page) == [], path
        shot(page, name)
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state("load")
    page.goto(page.base + f"/reviews/office/round/{panel.round_id}/panels/{application_a.pk}/")
    shot(page, "reviews-panel-form-zh")
    page.goto(page.base + f"/reviews/office/cycle/{cycle.pk}/round/onsite/")
    shot(page, "reviews-round-zh")
    page.goto(page.base + "/reviews/office/")
    assert axe_violations(page) == []
    shot(page, "reviews-cycles-zh")
    page.goto(page.base + f"/reviews/office/sheet/{sheet_pk}/reopen/")
    assert axe_violations(page) == []
    shot(page, "reviews-reopen-zh")


def test_sheet_of_a_closed_round_is_read_only(page, cycle, application_a, enterprise_b, expert, secretary, applicant_a):
    """Past the round's close the sheet says so and offers nothing to save (zh and en screenshots)."""
    _panel, lead, _pending_b = _setup(cycle, application_a, enterprise_b, expert, secretary, applicant_a)
    lead.status = AssignmentStatus.ACCEPTED
    lead.save(update_fields=["status"])
    rnd = lead.panel.round
    rnd.closes_at = timezone.now() - dt.timedelta(hours=2)
    rnd.save(update_fields=["closes_at"])
    login(page, expert.email)
    page.goto(page.base + f"/reviews/assignment/{lead.pk}/")
    assert "本轮评分已于" in page.locator(".sheet-closed").inner_text()
    assert page.locator("button[value=submit]").count() == 0
    assert page.locator("fieldset.category input[type=number]").first.is_disabled()
    assert axe_violations(page) == []
    shot(page, "reviews-sheet-closed-zh")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    assert "read-only" in page.locator(".sheet-closed").inner_text()
    shot(page, "reviews-sheet-closed-en")


def test_panels_show_the_employer_applying(page, cycle, application_a, application_b, expert, secretary):
    """An expert whose employer (B) applies sits on A's panel but does not lead it; the panels page says so."""
    from reviews import services
    from reviews.models import ExpertProfile

    for app in (application_a, application_b):
        Application.objects.filter(pk=app.pk).update(status=ApplicationStatus.ELIGIBLE)
    ExpertProfileFactory(user=expert)
    ExpertProfile.objects.filter(user=expert).update(
        employer="郴州乙企业有限公司", employer_credit_code=application_b.enterprise.credit_code
    )
    for i in range(4):
        u = CycleMembershipFactory(
            cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email=f"peer{i}@pool.example.cn", full_name=f"专家{i}")
        ).user
        ExpertProfileFactory(user=u)
    rnd = ReviewRoundFactory(cycle=cycle, kind=RoundKind.MATERIAL)
    services.panels_auto_assign(rnd=rnd, by=secretary, seed=1)
    login(page, secretary.email)
    page.goto(page.base + f"/reviews/office/round/{rnd.pk}/panels/")
    assert page.locator(".badge-conflict").count() == 1
    assert axe_violations(page) == []
    shot(page, "reviews-panels-soft-conflict-zh")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    assert "employer applies" in page.locator(".badge-conflict").inner_text()
    shot(page, "reviews-panels-soft-conflict-en")


def test_the_secretary_pages_the_ranking_and_the_matrix(page, cycle, secretary):
    """60 applications: the ranking shows 50 a page with the counts and the cut-off line above every
    page; the matrix pages by panel; both read well on a 320 px phone."""
    from tests.factories.enterprises import EnterpriseFactory

    rnd = ReviewRoundFactory(cycle=cycle, kind=RoundKind.MATERIAL)
    experts = [
        CycleMembershipFactory(
            cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email=f"rank{i}@pool.example.cn", full_name=f"评审{i}")
        ).user
        for i in range(3)
    ]
    for i in range(60):
        app = ApplicationFactory(
            cycle=cycle,
            enterprise=EnterpriseFactory(name_zh=f"郴州排名企业{i:02d}有限公司", name_en=f"Ranked Co. {i:02d}"),
            status=ApplicationStatus.ONSITE_REVIEW if i < 3 else ApplicationStatus.MATERIAL_REVIEW,
            submitted_at=timezone.now() - dt.timedelta(days=30 - i % 30),
        )
        panel = PanelFactory(round=rnd, application=app)
        for k, e in enumerate(experts):
            a = AssignmentFactory(panel=panel, expert=e, is_leader=k == 0, status=AssignmentStatus.ACCEPTED)
            if i < 12:
                submitted_sheet(a, 90 - 5 * i)
    login(page, secretary.email)
    page.goto(page.base + f"/reviews/office/cycle/{cycle.pk}/ranking/")
    summary = page.locator(".ranking-summary")
    expect(summary).to_contain_text("入围现场评审：3")
    expect(summary).to_contain_text("分数线：第 3 名之后")
    assert page.locator("table.ranking tbody tr").count() == 50
    assert page.locator("table.ranking tr.cutoff").count() == 1
    assert axe_violations(page) == []
    shot(page, "reviews-ranking-paged-zh")
    page.locator("nav.pager").first.get_by_role("link", name="2", exact=True).click()
    page.wait_for_load_state("load")
    assert page.locator("table.ranking tbody tr").count() == 10
    expect(summary).to_contain_text("分数线：第 3 名之后")  # still visible on the last page
    page.get_by_label("预览分数线，划在第几名之后").fill("10")
    page.get_by_role("button", name="显示").click()
    page.wait_for_load_state("load")
    expect(summary).to_contain_text("分数线：第 10 名之后")
    expect(page.locator("table.ranking tr.cutoff")).to_contain_text("郴州排名企业09有限公司")  # rank 10, page 1
    page.set_viewport_size({"width": 320, "height": 800})
    shot(page, "reviews-ranking-phone-zh")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page.base + f"/reviews/office/cycle/{cycle.pk}/?size=25")
    assert page.locator("table.matrix tbody tr").count() == 25
    expect(page.locator("nav.pager").first).to_contain_text("第 1–25 条，共 60 条")
    shot(page, "reviews-dashboard-paged-zh")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    shot(page, "reviews-dashboard-paged-en")
    page.goto(page.base + f"/reviews/office/cycle/{cycle.pk}/ranking/")
    expect(summary).to_contain_text("shortlisted for on-site review: 3")
    expect(summary).to_contain_text("Cut-off line after rank 3")
    assert axe_violations(page) == []
    shot(page, "reviews-ranking-paged-en")
    page.set_viewport_size({"width": 320, "height": 800})
    shot(page, "reviews-ranking-phone-en")
    page.set_viewport_size({"width": 1280, "height": 900})

"""The office's long lists in a browser: paged, filtered, with the counts shown; winners paged by year."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from awards.enums import ApplicationStatus, CycleRole, CycleStatus
from committee.models import Objection, PublicNotice
from tests.factories.awards import ApplicationFactory, CycleFactory, CycleMembershipFactory
from tests.factories.core import UserFactory
from tests.factories.enterprises import EnterpriseFactory

from .conftest import axe_violations, login, screenshot


def _queue(cycle, n=60):
    for i in range(n):
        ApplicationFactory(
            cycle=cycle,
            enterprise=EnterpriseFactory(
                name_zh=f"郴州分页企业{i:02d}有限公司", name_en=f"Chenzhou Paging {i:02d} Co."
            ),
            status=ApplicationStatus.SUBMITTED,
            submitted_at=timezone.now() - dt.timedelta(hours=n - i),
            receipt_number=f"MQA-2026-{i + 1:04d}",
        )


def test_the_secretary_pages_and_filters_the_office_lists(page):
    cycle = CycleFactory()
    secretary = CycleMembershipFactory(
        cycle=cycle, role=CycleRole.SECRETARY, user=UserFactory(email="sec@lists.example.cn")
    ).user
    secretary.set_password("Correct-horse-42")
    secretary.save()
    _queue(cycle)
    notice = PublicNotice.objects.create(
        cycle=cycle,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=7),
        published_by=secretary,
    )
    candidate = ApplicationFactory(cycle=cycle, status=ApplicationStatus.PUBLIC_NOTICE)
    notice.applications.add(candidate)
    Objection.objects.bulk_create(
        Objection(notice=notice, application=candidate, name=f"异议人{i}", contact="0735-1234567", reasons="事实与理由")
        for i in range(30)
    )
    login(page, secretary.email)

    page.goto(page.base + "/office/eligibility/")
    expect(page.locator(".pager-count").first).to_have_text("第 1–50 条，共 61 条")
    page.get_by_role("link", name="下一页").first.click()
    page.wait_for_load_state("load")
    expect(page.locator(".pager-count").first).to_have_text("第 51–61 条，共 61 条")
    assert page.locator("tbody tr").count() == 11  # and the candidate on notice
    assert axe_violations(page) == []
    screenshot(page, "office-queue-paged-zh")
    page.get_by_label("名称、信用代码或受理编号").fill("分页企业07")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state("load")
    expect(page.locator(".pager-count").first).to_have_text("第 1–1 条，共 1 条")

    page.goto(page.base + "/office/enterprises/?size=25")
    expect(page.locator(".pager-count").first).to_have_text("第 1–25 条，共 61 条")
    assert page.locator("tbody tr").count() == 25
    screenshot(page, "office-enterprises-paged-zh")

    page.goto(page.base + f"/committee/cycles/{cycle.pk}/objections/?size=25&page=2")
    expect(page.locator(".pager-count").first).to_have_text("第 26–30 条，共 30 条")
    assert axe_violations(page) == []
    screenshot(page, "committee-objections-paged-zh")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    expect(page.locator(".pager-count").first).to_have_text("26–30 of 30")
    screenshot(page, "committee-objections-paged-en")
    page.goto(page.base + "/office/eligibility/?page=2")
    expect(page.locator(".pager-count").first).to_have_text("51–61 of 61")
    screenshot(page, "office-queue-paged-en")
    page.goto(page.base + "/office/enterprises/?size=25&page=3")
    expect(page.locator(".pager-count").first).to_have_text("51–61 of 61")
    screenshot(page, "office-enterprises-paged-en")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(page.base + "/office/eligibility/?page=2")
    screenshot(page, "office-queue-paged-phone-en")


def test_the_public_pages_winners_by_year(page):
    from tests.factories.certificates import awarded_application

    for year in range(2019, 2026):
        cycle = CycleFactory(year=year, edition=year - 2011, status=CycleStatus.CONCLUDED)
        for i in range(2):
            awarded_application(
                cycle=cycle,
                enterprise=EnterpriseFactory(name_zh=f"郴州{year}获奖企业{i}", name_en=f"Chenzhou {year} Winner {i}"),
            )
    page.goto(page.base + "/winners/")
    assert page.locator("section.card h2").count() == 3  # the latest three years a page
    expect(page.locator("section.card h2").first).to_contain_text("2025")
    assert axe_violations(page) == []
    screenshot(page, "committee-winners-paged-zh")
    page.get_by_role("link", name="下一页").click()
    page.wait_for_load_state("load")
    expect(page.locator("section.card h2").first).to_contain_text("2022")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    screenshot(page, "committee-winners-paged-en")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(page.base + "/winners/")
    screenshot(page, "committee-winners-paged-phone-en")
    page.goto(page.base + "/")
    assert page.locator(".winner-list").count() == 3
    screenshot(page, "home-winners-phone-en")

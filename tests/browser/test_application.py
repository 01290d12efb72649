"""Journey: an applicant fills every section, uploads a PDF and submits; the secretary returns it; the
applicant fixes and resubmits; the secretary sees what changed and marks it eligible.

`applicant_fills_and_submits(page, ...)` starts from a logged-in applicant, so that the registration
journey (enterprises app) can run first and hand over to it.
"""

import datetime as dt
import re

from django.utils import timezone

from awards.demo import minimal_pdf
from awards.enums import ApplicationStatus
from awards.models import Application

from .conftest import SCREENSHOTS, axe_violations, login

NARRATIVE = "我们坚持以顾客为关注焦点，建立了覆盖全过程的质量管理体系，持续开展自我评价与改进。" * 6


def shot(page, name):
    """A viewport screenshot (kept small) in docs/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def _pdf(name, text="Evidence"):
    return {"name": name, "mimeType": "application/pdf", "buffer": minimal_pdf(text)}


def _open_section(page, pk, section):
    page.goto(f"{page.base}/applications/{pk}/{section}/")


def _save(page):
    page.locator("button[name=save]").click()
    page.locator(".message-success, .conflict, .form-errors").first.wait_for()
    assert page.locator(".message-success").count() == 1, page.locator("main").inner_text()[:2000]


def _no_serious_a11y(page):
    assert axe_violations(page) == [], page.url


def _save_and_continue(page, expect_path):
    """Press "save and continue" and land on the next step (its path ends with `expect_path`)."""
    page.locator("button[name=next]").click()
    # The click may wait for an autosave on its way (awards.js): wait for the next page itself.
    page.wait_for_url(re.compile(re.escape(expect_path) + "$"), timeout=15_000)
    page.wait_for_load_state("load")
    assert page.locator(".message-success").count() == 1, page.locator("main").inner_text()[:2000]


def applicant_fills_and_submits(page, *, cycle, screenshots=True) -> int:
    """From a logged-in applicant with no application yet: start, then go through every section with
    "save and continue" only (no typed URLs), confirm and submit. Returns the application's id."""
    page.goto(page.base + "/applications/")
    if screenshots:
        shot(page, "application-start-zh")
    page.locator("form[action$='/applications/start/'] button").click()
    page.wait_for_load_state("load")
    pk = int(re.search(r"/applications/(\d+)/", page.url).group(1))
    base = f"/applications/{pk}/"
    assert page.locator(".missing-list li").count() > 5
    _no_serious_a11y(page)
    if screenshots:
        shot(page, "application-overview-zh")

    # Basic information (the first section, from the overview): pre-filled from the profile.
    page.locator(f"table a[href='{base}basic/']").click()
    page.wait_for_load_state("load")
    assert page.locator("input[name=credit_code]").input_value() != ""
    page.locator("input[name=legal_representative]").fill("王建设")
    page.locator("textarea[name=main_business]").fill("精密机械零部件的研发、生产和销售")
    _no_serious_a11y(page)
    if screenshots:
        shot(page, "application-basic-zh")
    _save_and_continue(page, base + "eligibility/")

    # Eligibility declarations, with an evidence file.
    page.locator("input[name=excellence_since]").fill("2015-03-01")
    page.locator("textarea[name=excellence_note]").fill("2015年起导入卓越绩效模式，每年自评。")
    page.locator("input[name=no_incident][value=yes]").check()
    page.locator("input[name=good_record][value=yes]").check()
    page.locator("input[name=evidence_excellence]").set_input_files(_pdf("excellence.pdf"))
    _no_serious_a11y(page)
    if screenshots:
        shot(page, "application-eligibility-zh")
    _save_and_continue(page, base + "self_assessment/")

    # Self-assessment: live counter, autosave, then save and continue.
    areas = page.locator("textarea[data-counter]")
    first = areas.nth(0)
    first.fill(NARRATIVE)
    counter = page.locator(f"[data-counter-for='{first.get_attribute('id')}']")
    assert str(len(NARRATIVE)) in counter.inner_text()
    page.locator("#save-status .saved").wait_for(timeout=10_000)  # autosaved after 2 s
    page.reload()
    assert page.locator("textarea[data-counter]").nth(0).input_value() == NARRATIVE
    for i in range(1, page.locator("textarea[data-counter]").count()):
        page.locator("textarea[data-counter]").nth(i).fill(NARRATIVE)
    page.locator("details.self-score").nth(0).locator("summary").click()
    page.locator("select[name=score_4_1_2]").select_option("60")
    _no_serious_a11y(page)
    if screenshots:
        shot(page, "application-self-assessment-zh")
    _save_and_continue(page, base + "results/")

    # Key results: three years of figures; continuing leads to the attachments.
    values = {
        "revenue": "12500",
        "profit": "980.5",
        "tax": "430",
        "rnd": "520",
        "employees": "310",
        "satisfaction": "92.5",
        "pass_rate": "99.3",
    }
    for year in (cycle.year - 3, cycle.year - 2, cycle.year - 1):
        for key, value in values.items():
            page.locator(f"input[name={key}_{year}]").fill(value)
    _no_serious_a11y(page)
    if screenshots:
        shot(page, "application-results-zh")
    _save_and_continue(page, base + "attachments/")

    # Attachments: the two required files, then on to the commitment letter.
    for kind, name in (("business_licence", "licence.pdf"), ("self_assessment_report", "self-assessment.pdf")):
        page.locator("select[name=kind]").select_option(kind)
        page.locator("input[name=file]").set_input_files(_pdf(name))
        page.locator("form[enctype] button[type=submit]").click()
        page.wait_for_load_state("load")
        assert name in page.content()
    _no_serious_a11y(page)
    if screenshots:
        shot(page, "application-attachments-zh")
    page.locator("a[data-next]").click()
    page.wait_for_url(re.compile(re.escape(base + "commitment/") + "$"))

    # Commitment letter, the last section: continuing leads to the overview.
    page.locator("input[name=name]").fill("王建设")
    page.locator("input[name=position]").fill("总经理")
    page.locator("input[name=date]").fill(timezone.localdate().isoformat())
    page.locator("input[name=confirmed]").check()
    _no_serious_a11y(page)
    if screenshots:
        shot(page, "application-commitment-zh")
    _save_and_continue(page, base)
    assert page.locator(".missing-list").count() == 0

    # Submit: the confirmation lists what will be locked; confirming leads to the receipt.
    page.locator(".submit-form a.button").click()
    page.wait_for_url(re.compile(re.escape(base + "submit/") + "$"))
    locked = page.locator(".locked-list").inner_text()
    assert "excellence.pdf" in locked and "licence.pdf" in locked
    assert Application.objects.get(pk=pk).status == ApplicationStatus.DRAFT
    _no_serious_a11y(page)
    if screenshots:
        shot(page, "application-submit-confirm-zh")
    page.locator("button[name=confirm]").click()
    page.wait_for_url(re.compile(re.escape(base + "receipt/") + "$"))
    receipt = f"CZMQA-{cycle.year}-0001"
    assert receipt in page.locator(".message-success").inner_text()
    assert page.locator(".receipt").inner_text() == receipt
    _no_serious_a11y(page)
    if screenshots:
        shot(page, "application-receipt-zh")
        page.emulate_media(media="print")
        shot(page, "application-receipt-print-zh")
        page.emulate_media(media="screen")
    return pk


def _submit_after_confirming(page):
    """From the overview: the submit button, then the confirmation; ends on the receipt."""
    page.locator(".submit-form a.button").click()
    page.wait_for_url(re.compile(r"/submit/$"))
    page.locator("button[name=confirm]").click()
    page.wait_for_url(re.compile(r"/receipt/$"))


def test_application_journey(page, cycle, applicant_a, secretary):
    login(page, applicant_a.email)
    pk = applicant_fills_and_submits(page, cycle=cycle)
    assert Application.objects.get(pk=pk).status == ApplicationStatus.SUBMITTED
    page.goto(f"{page.base}/applications/{pk}/")
    shot(page, "application-submitted-zh")

    # The secretary returns it with a comment on the key results.
    login(page, secretary.email)
    page.goto(page.base + "/office/eligibility/")
    _no_serious_a11y(page)
    shot(page, "eligibility-queue-zh")
    page.get_by_role("link", name=applicant_a.enterprises.first().name_zh).click()
    page.wait_for_load_state("load")
    assert page.locator(".checks .badge-failed").count() == 0
    page.locator("input[name=decision][value=returned]").check()
    page.locator("textarea[name=comment_results]").fill("请核对上一年度研发投入。")
    deadline = timezone.localtime(timezone.now() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    page.locator("input[name=resubmit_by]").fill(deadline)
    _no_serious_a11y(page)
    page.locator("h1").scroll_into_view_if_needed()
    shot(page, "eligibility-review-zh")
    page.locator("form.decision-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert Application.objects.get(pk=pk).status == ApplicationStatus.RETURNED

    # The applicant sees the comment, fixes the figure and resubmits.
    login(page, applicant_a.email)
    page.goto(page.base + "/dashboard/")
    assert "请核对上一年度研发投入。" in page.content()
    _no_serious_a11y(page)
    shot(page, "dashboard-applicant-zh")
    page.goto(f"{page.base}/applications/{pk}/")
    assert "请核对上一年度研发投入。" in page.content()
    # The comment stands at the top of its section and marks the section in the list.
    _open_section(page, pk, "results")
    assert "请核对上一年度研发投入。" in page.locator(".return-comments").inner_text()
    assert page.locator(".section-nav .badge-commented").count() == 1
    _no_serious_a11y(page)
    shot(page, "application-return-comment-zh")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    shot(page, "application-return-comment-en")
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state("load")
    page.locator(f"input[name=rnd_{cycle.year - 1}]").fill("610")
    _save(page)
    assert page.locator(".return-comments").count() == 0  # changed after the return
    page.goto(f"{page.base}/applications/{pk}/")
    _submit_after_confirming(page)
    app = Application.objects.get(pk=pk)
    assert app.status == ApplicationStatus.SUBMITTED and app.snapshots.count() == 2

    # The secretary sees the change and marks it eligible.
    login(page, secretary.email)
    page.goto(f"{page.base}/office/eligibility/{pk}/")
    diff = page.locator("table.diff-table")
    assert "610" in diff.inner_text() and "520" in diff.inner_text()
    shot(page, "eligibility-diff-zh")
    page.locator("input[name=decision][value=eligible]").check()
    page.locator("form.decision-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert Application.objects.get(pk=pk).status == ApplicationStatus.ELIGIBLE

    # English screenshots of the secretary's pages, then the applicant's.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    page.goto(page.base + "/office/eligibility/")
    assert "Eligibility review" in page.content()
    shot(page, "eligibility-queue-en")
    page.goto(f"{page.base}/office/eligibility/{pk}/")
    page.locator("#diff-heading").scroll_into_view_if_needed()
    shot(page, "eligibility-diff-en")
    login(page, applicant_a.email)  # the language cookie keeps English
    page.goto(f"{page.base}/applications/{pk}/")
    assert "Receipt number" in page.content()
    _no_serious_a11y(page)
    shot(page, "application-submitted-en")
    page.goto(page.base + "/dashboard/")
    shot(page, "dashboard-applicant-en")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base}/applications/{pk}/")
    _no_serious_a11y(page)
    shot(page, "application-submitted-phone-en")
    page.set_viewport_size({"width": 320, "height": 720})
    page.goto(f"{page.base}/applications/{pk}/receipt/")
    _no_serious_a11y(page)
    shot(page, "application-receipt-phone-en")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{page.base}/applications/{pk}/receipt/")
    shot(page, "application-receipt-en")


def test_application_pages_in_english(page, cycle, applicant_a):
    """Every section of a draft in English (screenshots), and the conflict message for a stale edit."""
    from awards import services

    login(page, applicant_a.email)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    page.goto(page.base + "/applications/")
    _no_serious_a11y(page)
    shot(page, "application-start-en")
    page.locator("form[action$='/applications/start/'] button").click()
    page.wait_for_load_state("load")
    app = Application.objects.get(enterprise__memberships__user=applicant_a)
    assert "Still missing" in page.content()
    shot(page, "application-overview-en")
    for section in ("basic", "eligibility", "self_assessment", "results", "commitment"):
        _open_section(page, app.pk, section)
        _no_serious_a11y(page)
        shot(page, f"application-{section.replace('_', '-')}-en")
    page.goto(page.base + f"/applications/{app.pk}/attachments/")
    page.locator("input[name=file]").set_input_files(
        {"name": "setup.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + b"\x00" * 100}
    )
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "setup.pdf" in page.locator(".error").inner_text()
    shot(page, "application-attachments-en")
    page.goto(page.base + f"/applications/{app.pk}/submit/")
    assert "Still missing" in page.locator(".form-errors").inner_text()
    assert page.locator("button[name=confirm]").count() == 0
    _no_serious_a11y(page)
    shot(page, "application-submit-incomplete-en")

    # Saving while an autosave is on its way waits for it, so the user never conflicts with themself.
    _open_section(page, app.pk, "commitment")
    page.locator("input[name=position]").fill("General Manager")
    page.wait_for_timeout(2050)
    _save(page)
    app.refresh_from_db()
    assert app.commitment["position"] == "General Manager"

    # A colleague saves the commitment while this page is open: a clear conflict, the text kept.
    _open_section(page, app.pk, "commitment")
    app.refresh_from_db()
    services.application_section_save(
        application=app,
        section="commitment",
        data={"name": "Colleague"},
        version=app.commitment_version,
        by=applicant_a,
    )
    page.locator("input[name=name]").fill("Me")
    page.locator("button[name=save]").click()
    page.wait_for_load_state("load")
    assert "colleague saved" in page.locator(".conflict").inner_text()
    assert page.locator("input[name=name]").input_value() == "Me"
    assert "Colleague" in page.locator(".saved-version").inner_text()
    _no_serious_a11y(page)
    shot(page, "application-conflict-en")
    page.goto(page.base + f"/applications/{app.pk}/withdraw/")
    _no_serious_a11y(page)
    shot(page, "application-withdraw-en")

    # The same two pages in Chinese; then withdraw for real.
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state("load")
    shot(page, "application-withdraw-zh")
    page.set_viewport_size({"width": 390, "height": 844})
    _open_section(page, app.pk, "self_assessment")
    shot(page, "application-self-assessment-phone-zh")
    page.set_viewport_size({"width": 1280, "height": 900})
    _open_section(page, app.pk, "commitment")
    app.refresh_from_db()
    services.application_section_save(
        application=app, section="commitment", data={"name": "同事"}, version=app.commitment_version, by=applicant_a
    )
    page.locator("input[name=name]").fill("我")
    page.locator("button[name=save]").click()
    page.locator(".conflict").wait_for()
    shot(page, "application-conflict-zh")
    page.goto(page.base + f"/applications/{app.pk}/withdraw/")
    page.locator("input[name=confirm]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.WITHDRAWN

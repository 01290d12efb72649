"""Journey: an on-site expert on a 360 px phone logs an interview with a photo; the team leader
records the team's finding and closes the visit; the enterprise reads the summary. Screenshots of
the workbench pages in zh and en at 360 px, and a check that nothing is wider than the screen."""

from playwright.sync_api import expect

from onsite import services
from onsite.models import ItemConsensus, VisitLog
from tests.factories.enterprises import MembershipFactory
from tests.factories.files import png_bytes
from tests.factories.onsite import shortlisted

from .conftest import SCREENSHOTS, axe_violations, fits, login

PHONE = {"width": 360, "height": 780}


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_onsite_expert_logs_an_interview_with_a_photo_and_the_leader_records_consensus(
    page, cycle, secretary, tmp_path
):
    s = shortlisted(cycle)
    owner = MembershipFactory(enterprise=s.application.enterprise).user
    visit = services.visit_open(application=s.application, by=secretary)
    services.plan_entry_add(visit=visit, kind="agenda", title="首次会议", detail="三楼会议室", by=s.leader)
    services.plan_entry_add(visit=visit, kind="interviewee", title="质量部经理", detail="过程管理", by=s.leader)
    photo = tmp_path / "车间.png"
    photo.write_bytes(png_bytes(size=(320, 240)))
    page.set_viewport_size(PHONE)

    # A team member, on the phone: the workbench, then a log against the first issue with a photo.
    login(page, s.member.email)
    page.goto(page.base + f"/onsite/visits/{visit.pk}/")
    expect(page.locator("h1")).to_have_text("现场考察情况")
    expect(page.get_by_text("核实高层领导述职记录")).to_be_visible()
    fits(page)
    assert axe_violations(page) == []
    shot(page, "onsite-workbench-360-zh")
    page.get_by_role("link", name="针对此问题记录").first.click()
    page.wait_for_load_state("load")
    page.get_by_label("访谈").check()
    page.get_by_label("文件或人员").fill("质量部 王经理")
    page.get_by_label("核查发现").fill("述职记录齐全，抽查三项均已闭环。")
    page.locator("input[type=file][name=files]").set_input_files(str(photo))
    fits(page)
    assert axe_violations(page) == []
    shot(page, "onsite-log-360-zh")
    page.get_by_role("button", name="保存记录").click()
    page.wait_for_load_state("load")
    log = VisitLog.objects.get()
    assert log.kind == "interview" and log.evidence.get().mime_type == "image/png"
    expect(page.locator(".evidence-thumb")).to_be_visible()
    page.locator(".evidence-thumb").scroll_into_view_if_needed()
    page.locator(".evidence-thumb").evaluate(
        "img => img.complete && img.naturalWidth ? 1 : new Promise(ok => img.addEventListener('load', ok))"
    )
    assert page.evaluate("document.querySelector('.evidence-thumb').naturalWidth") == 320  # the photo itself, served
    fits(page)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    shot(page, "onsite-workbench-360-en")
    page.goto(page.base + f"/onsite/visits/{visit.pk}/log/")
    shot(page, "onsite-log-360-en")
    page.context.clear_cookies()

    # The team leader, on the phone: the team's finding on the item, then the close.
    login(page, s.leader.email)
    page.goto(page.base + f"/onsite/visits/{visit.pk}/")
    page.get_by_role("link", name="记录结论").first.click()
    page.wait_for_load_state("load")
    page.get_by_label("与申报一致").check()
    page.get_by_label("一致意见").fill("高层领导定期评审经营绩效，与申报材料一致。")
    fits(page)
    shot(page, "onsite-consensus-360-zh")
    page.get_by_role("button", name="记录结论").click()
    page.wait_for_load_state("load")
    assert ItemConsensus.objects.get(visit=visit).finding == "confirmed"
    page.get_by_role("link", name="填写总结并结束现场评审").click()
    page.wait_for_load_state("load")
    page.get_by_label("末次会议总结").fill("申报材料总体真实；建议完善改进项目的结项评审。")
    shot(page, "onsite-close-360-zh")
    page.get_by_role("button", name="结束现场评审并发送总结").click()
    page.wait_for_load_state("load")
    expect(page.locator("#closing")).to_contain_text("申报材料总体真实")
    assert page.get_by_role("link", name="针对此问题记录").count() == 0
    fits(page)

    # The enterprise reads the summary with its application.
    page.context.clear_cookies()
    login(page, owner.email)
    page.goto(page.base + f"/onsite/visits/{visit.pk}/summary/")
    expect(page.locator("main")).to_contain_text("高层领导定期评审经营绩效")
    fits(page)
    assert axe_violations(page) == []
    shot(page, "onsite-summary-360-zh")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    shot(page, "onsite-summary-360-en")


def test_a_material_expert_flags_an_item_on_the_phone(page, cycle):
    s = shortlisted(cycle, flags=False)
    s.application.status = "material_review"
    s.application.save(update_fields=["status"])
    a = s.material[0]
    page.set_viewport_size(PHONE)
    login(page, a.expert.email)
    page.goto(page.base + f"/onsite/flags/{a.pk}/")
    form = page.locator(f"#flag-{s.items[0].pk}")
    form.locator("select").select_option("verify")
    form.locator("textarea").fill("核实述职记录")
    form.get_by_role("button").click()
    page.wait_for_load_state("load")
    assert a.item_flags.get().note == "核实述职记录"
    fits(page)
    assert axe_violations(page) == []
    shot(page, "onsite-flags-360-zh")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    shot(page, "onsite-flags-360-en")


def test_the_enterprise_prints_its_application_and_receipt(page, cycle, enterprise_a, applicant_a):
    """The printouts page on a phone: make the PDFs (the worker renders them), then download."""
    from awards.services import application_submit
    from printouts.models import Printout
    from printouts.services import printout_render
    from tests.factories.awards import ApplicationFactory, fill_application

    app = ApplicationFactory(cycle=cycle, enterprise=enterprise_a)
    fill_application(app, applicant_a)
    app = application_submit(application=app, by=applicant_a, notify=False)
    page.set_viewport_size(PHONE)
    login(page, applicant_a.email)
    page.goto(page.base + f"/applications/{app.pk}/")
    page.get_by_role("link", name="申报书和受理回执（PDF）").click()
    page.wait_for_load_state("load")
    for _document in ("application", "receipt"):
        page.get_by_role("button", name="生成 PDF").first.click()
        page.wait_for_load_state("load")
    assert Printout.objects.count() == 2
    for p in Printout.objects.all():
        printout_render(printout_id=p.pk)  # what the worker does
    page.reload()
    links = page.get_by_role("link", name="下载 PDF")
    expect(links).to_have_count(2)
    fits(page)
    assert axe_violations(page) == []
    shot(page, "printouts-360-zh")
    with page.expect_download() as download:
        links.first.click()
    assert download.value.suggested_filename == f"{app.receipt_number}-application.pdf"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    shot(page, "printouts-360-en")

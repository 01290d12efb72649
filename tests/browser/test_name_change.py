"""Journey: an awarded enterprise renames; the owner's request goes to the award office, the
secretary approves it, the certificate is re-issued under the new name and still verifies."""

import segno
from playwright.sync_api import expect

from certificates.models import Certificate
from certificates.services import certificates_issue_for_cycle
from enterprises.models import NameChangeRequest
from tests.certificates.pdfcheck import page_image, pdf_text, qr_matrix
from tests.factories.certificates import awarded_application

from .conftest import axe_violations, login, screenshot, switch_language

NEW_ZH, NEW_EN = "郴州甲新材料股份有限公司", "Chenzhou Alpha New Materials Inc."


def test_a_renamed_winners_request_is_approved_and_its_reissued_certificate_verifies(
    page, cycle, applicant_a, enterprise_a, secretary
):
    awarded_application(cycle=cycle, enterprise=enterprise_a)
    (cert,) = certificates_issue_for_cycle(cycle=cycle, by=None, system=True)  # rendered in-process on commit
    cert.refresh_from_db()
    assert cert.status == "ready"
    first_render = cert.rendered_at

    # The owner asks for the change from the profile page.
    login(page, applicant_a.email)
    page.goto(page.base + f"/enterprise/{enterprise_a.pk}/")
    page.get_by_role("link", name="申请变更名称或信用代码").click()
    page.wait_for_load_state("load")
    page.get_by_label("中文名称").fill(NEW_ZH)
    page.get_by_label("英文名称").fill(NEW_EN)
    page.get_by_label("变更原因").fill("经北湖区市场监督管理局核准，企业名称变更（变更登记通知书编号 2026-018）。")
    assert axe_violations(page) == []
    screenshot(page, "enterprises-name-change-form-zh")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, "enterprises-name-change-form-320-zh")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state("load")
    expect(page.locator(".messages")).to_contain_text("申请已提交评审办")
    expect(page.locator("main")).to_contain_text("待评审办处理")
    assert axe_violations(page) == []
    screenshot(page, "enterprises-name-change-pending-zh")
    switch_language(page, "English")
    screenshot(page, "enterprises-name-change-pending-en")
    switch_language(page, "中文")
    change = NameChangeRequest.objects.get()
    assert change.new_name_zh == NEW_ZH

    # Nothing public has moved yet: the verification page still names the enterprise as awarded.
    page.goto(cert.verification_url)
    assert "郴州甲企业有限公司" in page.content() and NEW_ZH not in page.content()

    # The secretary decides.
    page.context.clear_cookies()
    login(page, secretary.email)
    page.goto(page.base + "/office/enterprises/")
    expect(page.locator("main")).to_contain_text("1 项待处理")
    screenshot(page, "enterprises-office-list-zh")
    switch_language(page, "English")
    screenshot(page, "enterprises-office-list-en")
    switch_language(page, "中文")
    page.get_by_role("link", name="名称或信用代码变更").click()
    page.wait_for_load_state("load")
    expect(page.locator("main table")).to_contain_text(NEW_ZH)
    assert axe_violations(page) == []
    screenshot(page, "enterprises-office-name-changes-zh")
    switch_language(page, "English")
    screenshot(page, "enterprises-office-name-changes-en")
    switch_language(page, "中文")
    page.locator("main table a").first.click()
    page.wait_for_load_state("load")
    expect(page.locator("main")).to_contain_text("变更登记通知书编号 2026-018")
    assert axe_violations(page) == []
    screenshot(page, "enterprises-office-name-change-zh")
    switch_language(page, "English")
    screenshot(page, "enterprises-office-name-change-en")
    switch_language(page, "中文")
    page.get_by_label("批准变更").check()
    page.get_by_role("button", name="记录处理决定").click()
    page.wait_for_load_state("load")
    expect(page.locator(".messages")).to_contain_text("变更已批准")

    # Re-issued (rendered again in-process on commit) under the new name, same serial, same QR code.
    cert = Certificate.objects.get(pk=cert.pk)
    assert cert.status == "ready" and cert.rendered_at > first_render and cert.reissued_at
    path = cert.file
    text = "".join(pdf_text(path).split())
    assert NEW_ZH in text and "郴州甲企业有限公司" not in text and cert.serial in text
    dpi = 300
    expected = segno.make(cert.verification_url, error="m")
    assert qr_matrix(page_image(path, dpi=dpi), dpi, len(expected.matrix)) == [
        [int(bool(v)) for v in row] for row in expected.matrix
    ]

    page.context.clear_cookies()
    page.goto(cert.verification_url)
    assert page.locator(".badge-valid").inner_text() == "有效"
    facts = page.locator(".verify-facts")
    expect(facts).to_contain_text(NEW_ZH)
    expect(facts).to_contain_text("原名称：郴州甲企业有限公司 / Chenzhou Alpha Co., Ltd.")
    assert axe_violations(page) == []
    screenshot(page, "certificates-verify-renamed-zh")
    switch_language(page, "English")
    expect(facts).to_contain_text("Formerly 郴州甲企业有限公司 / Chenzhou Alpha Co., Ltd.; name changed on")
    screenshot(page, "certificates-verify-renamed-en")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, "certificates-verify-renamed-320-en")


def test_the_application_shows_the_identity_read_only_and_flags_a_code_outside_the_city(page, cycle, secretary, db):
    from awards import sections
    from awards.enums import ApplicationStatus
    from enterprises.validators import credit_code_with_check
    from tests.factories.awards import ApplicationFactory
    from tests.factories.core import UserFactory
    from tests.factories.enterprises import EnterpriseFactory, MembershipFactory

    outside = EnterpriseFactory(
        credit_code=credit_code_with_check("91430104MA4L5555"), name_zh="长沙岳麓某科技有限公司", district="431002"
    )
    owner = MembershipFactory(enterprise=outside, user=UserFactory(email="owner@yuelu.example.cn")).user
    app = ApplicationFactory(cycle=cycle, enterprise=outside, basic_info=sections.basic_from_profile(outside))

    login(page, owner.email)
    page.goto(page.base + f"/applications/{app.pk}/basic/")
    for name in sections.IDENTITY_FIELDS:
        expect(page.locator(f"#id_{name}")).to_be_disabled()
    expect(page.locator("#id_credit_code")).to_have_value(outside.credit_code)
    assert axe_violations(page) == []
    screenshot(page, "application-basic-identity-zh")
    switch_language(page, "English")
    expect(page.locator("#id_credit_code")).to_be_disabled()
    screenshot(page, "application-basic-identity-en")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, "application-basic-identity-320-en")

    from awards.models import Application

    Application.objects.filter(pk=app.pk).update(status=ApplicationStatus.SUBMITTED)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, secretary.email)
    page.goto(page.base + f"/office/eligibility/?cycle={cycle.pk}")
    expect(page.locator("main table")).to_contain_text("在郴州市以外登记")
    assert page.content().count("在郴州市以外登记") == 1
    assert axe_violations(page) == []
    screenshot(page, "awards-queue-outside-city-zh")
    switch_language(page, "English")
    screenshot(page, "awards-queue-outside-city-en")

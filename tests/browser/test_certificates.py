"""Journeys: the winner downloads its certificate and its QR code opens the verification page;
the award office follows a batch on the live progress bar and revokes a certificate."""

import re

import segno
from playwright.sync_api import expect

from certificates.models import Certificate
from certificates.services import certificate_render, certificates_issue_for_cycle
from tests.certificates.pdfcheck import page_image, qr_matrix
from tests.factories.certificates import awarded_application
from tests.media import stored_bytes

from .conftest import axe_violations, login, screenshot


def test_the_winner_downloads_its_certificate_and_the_qr_code_verifies_it(
    page, cycle, applicant_a, enterprise_a, tmp_path
):
    awarded_application(cycle=cycle, enterprise=enterprise_a)
    (cert,) = certificates_issue_for_cycle(cycle=cycle, by=None, system=True)  # rendered in-process on commit
    cert.refresh_from_db()
    assert cert.status == "ready"
    assert cert.verification_url.startswith(page.base)

    login(page, applicant_a.email)
    section = page.locator("#certificates-heading")
    assert section.is_visible()
    assert cert.serial in page.content()
    assert axe_violations(page) == []
    screenshot(page, "certificates-dashboard-zh")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载证书（PDF）").click()
    download = info.value
    assert download.suggested_filename == f"{cycle.year}-市长质量奖-郴州甲企业有限公司-{cert.serial}.pdf"
    pdf = tmp_path / "downloaded.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes() == stored_bytes(cert.file)

    # Read the QR code printed on the downloaded PDF and compare it with the stored verification URL.
    dpi = 300
    expected = segno.make(cert.verification_url, error="m")
    read = qr_matrix(page_image(pdf, dpi=dpi), dpi, len(expected.matrix))
    assert read == [[int(bool(v)) for v in row] for row in expected.matrix]

    page.goto(cert.verification_url)
    assert page.locator(".badge-valid").inner_text() == "有效"
    assert "郴州甲企业有限公司" in page.content() and cert.serial in page.content()
    assert axe_violations(page) == []
    screenshot(page, "certificates-verify-valid-zh")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    assert page.locator(".badge-valid").inner_text() == "Valid"
    screenshot(page, "certificates-verify-valid-en")
    page.goto(page.base + "/dashboard/")
    screenshot(page, "certificates-dashboard-en")

    page.goto(page.base + "/verify/" + "X" * 32 + "/")
    assert page.locator("h1").inner_text() == "Not found"
    screenshot(page, "certificates-verify-not-found-en")


def test_the_office_follows_the_batch_and_revokes_a_certificate(
    page, cycle, secretary, enterprise_a, enterprise_b, monkeypatch
):
    import certificates.services as services

    awarded_application(cycle=cycle, enterprise=enterprise_a)
    awarded_application(cycle=cycle, enterprise=enterprise_b, level_code="nomination")
    monkeypatch.setattr(services, "_queue_render", lambda ids, cycle_id=None: None)  # the "worker" is this test
    first, second = certificates_issue_for_cycle(cycle=cycle, by=secretary)

    login(page, secretary.email)
    page.get_by_role("link", name="获奖证书").first.click()
    page.wait_for_load_state("load")
    assert cycle.title_zh in page.content()
    assert axe_violations(page) == []
    screenshot(page, "certificates-index-zh")

    page.get_by_role("link", name=cycle.title_zh).click()
    page.wait_for_load_state("load")
    bar = page.locator("#cert-progress")
    assert bar.get_attribute("value") == "0" and bar.get_attribute("max") == "2"
    assert axe_violations(page) == []
    screenshot(page, "certificates-cycle-running-zh")

    # The worker finishes the certificates one by one; the bar follows without a reload.
    certificate_render(certificate_id=first.pk)
    expect(bar).to_have_attribute("value", "1", timeout=10_000)
    certificate_render(certificate_id=second.pk)
    expect(bar).to_have_attribute("value", "2", timeout=10_000)
    assert "已生成 2 份，失败 0 份，共 2 份" in page.locator("#cert-progress-text").inner_text()
    # Finished: the board stops polling.
    assert page.locator("#cert-board[hx-trigger]").count() == 0
    screenshot(page, "certificates-cycle-done-zh")

    # Regenerating right away is fine (nothing runs), a second click while it runs is refused.
    page.get_by_role("button", name="重新生成全部证书").click()
    page.wait_for_load_state("load")
    assert page.locator(".message-success").count() == 1
    page.get_by_role("button", name="重新生成全部证书").click()
    page.wait_for_load_state("load")
    assert "正在生成中" in page.locator(".message-error").inner_text()
    assert set(Certificate.objects.filter(cycle=cycle).values_list("status", flat=True)) == {"pending"}
    for cert in (first, second):
        certificate_render(certificate_id=cert.pk)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    bar = page.locator("#cert-progress")
    expect(bar).to_have_attribute("value", "2", timeout=10_000)
    assert page.locator("#cert-board[hx-trigger]").count() == 0
    screenshot(page, "certificates-cycle-en")

    page.get_by_role("link", name=re.compile(f"Revoke {second.serial}")).click()
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Revoke certificate").click()
    page.wait_for_load_state("load")
    assert page.locator(".field-error").count() == 1  # a reason is required
    assert axe_violations(page) == []
    screenshot(page, "certificates-revoke-en")
    page.get_by_label("Reason for the revocation").fill("Results in the application were falsified.")
    page.get_by_role("button", name="Revoke certificate").click()
    page.wait_for_load_state("load")
    assert page.locator(".message-success").count() == 1
    second.refresh_from_db()
    assert second.status == "revoked"

    page.goto(second.verification_url)
    assert page.locator(".badge-revoked").inner_text() == "Revoked"
    assert axe_violations(page) == []
    screenshot(page, "certificates-verify-revoked-en")
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state("load")
    screenshot(page, "certificates-verify-revoked-zh")
    page.goto(page.base + f"/certificates/{second.pk}/revoke/")
    screenshot(page, "certificates-revoke-zh")
    page.goto(page.base + "/certificates/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    screenshot(page, "certificates-index-en")

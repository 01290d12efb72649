"""Decide, then rename: the public notice, the winners page, the minutes, the certificate and the
verification page keep the names of record; an approved change re-issues the certificate."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.enums import ApplicationStatus
from certificates.services import certificate_render
from committee.models import PublicNotice
from enterprises.models import Enterprise
from enterprises.services import enterprise_update, name_change_decide
from enterprises.validators import credit_code_with_check
from tests.factories.awards import ApplicationFactory

from .pdfcheck import pdf_text

pytestmark = pytest.mark.django_db

OLD_ZH, OLD_EN = "郴州甲企业有限公司", "Chenzhou Alpha Co., Ltd."
NEW_ZH, NEW_EN = "郴州甲新材料股份有限公司", "Chenzhou Alpha New Materials Inc."


def _flat(text: str) -> str:
    return "".join(text.split())


def _main(response) -> str:
    """The page's own content (the header carries a fresh CSRF token on every request)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _public_pages(client, cert, notice):
    return {
        "winners": _main(client.get(reverse("committee:winners"))),
        "notice": _main(client.get(reverse("committee:notice"))),
        "verify": _main(client.get(reverse("certificates:verify", args=[cert.verification_code]))),
    }


@pytest.fixture
def notice(cycle, secretary, enterprise_b):
    """A notice with B still on it (A's award is already confirmed)."""
    on_notice = ApplicationFactory(cycle=cycle, enterprise=enterprise_b, status=ApplicationStatus.PUBLIC_NOTICE)
    today = timezone.localdate()
    notice = PublicNotice.objects.create(
        cycle=cycle, starts_on=today, ends_on=today + dt.timedelta(days=7), published_by=secretary
    )
    notice.applications.add(on_notice)
    return notice


def test_a_rename_after_the_decision_changes_no_public_record(
    anonymous, ready_cert_a, notice, applicant_a, enterprise_a, enterprise_b
):
    before = _public_pages(anonymous, ready_cert_a, notice)
    assert OLD_ZH in before["winners"] and OLD_ZH in before["verify"]
    assert "郴州乙企业有限公司" in before["notice"]

    # The owner renames in the profile: it becomes a request, nothing public moves.
    enterprise_update(enterprise=enterprise_a, by=applicant_a, name_zh=NEW_ZH, name_en=NEW_EN)
    # Even a live change behind the services' back (the admin's form) leaves the record alone.
    Enterprise.objects.filter(pk=enterprise_a.pk).update(name_zh=NEW_ZH, name_en=NEW_EN)
    Enterprise.objects.filter(pk=enterprise_b.pk).update(name_zh="乙改名公司")

    after = _public_pages(anonymous, ready_cert_a, notice)
    assert after == before
    assert NEW_ZH not in after["winners"] and "乙改名公司" not in after["notice"]
    # A re-render of the certificate still prints the name it was awarded under.
    from certificates.models import Certificate

    Certificate.objects.filter(pk=ready_cert_a.pk).update(status="pending")
    certificate_render(certificate_id=ready_cert_a.pk)
    ready_cert_a.refresh_from_db()
    text = _flat(pdf_text(ready_cert_a.file))
    assert OLD_ZH in text and NEW_ZH not in text


def test_an_approved_change_reissues_the_certificate_and_verification_shows_the_earlier_name(
    anonymous, client_for, ready_cert_a, applicant_a, enterprise_a, secretary, django_capture_on_commit_callbacks
):
    enterprise_update(enterprise=enterprise_a, by=applicant_a, name_zh=NEW_ZH, name_en=NEW_EN)
    change = enterprise_a.name_changes.get()
    old_checksum = ready_cert_a.checksum
    with django_capture_on_commit_callbacks(execute=True):
        name_change_decide(change_request=change, by=secretary, approve=True)
    ready_cert_a.refresh_from_db()
    assert ready_cert_a.status == "ready" and ready_cert_a.checksum != old_checksum
    text = _flat(pdf_text(ready_cert_a.file))
    assert NEW_ZH in text and OLD_ZH not in text
    assert ready_cert_a.serial in text

    client = anonymous
    client.cookies["django_language"] = "en"
    page = client.get(reverse("certificates:verify", args=[ready_cert_a.verification_code])).content.decode()
    change.refresh_from_db()
    decided = timezone.localtime(change.decided_at).date().isoformat()
    assert NEW_ZH in page and "Valid" in page
    assert f"Formerly {OLD_ZH} / {OLD_EN}; name changed on {decided}." in page
    winners = client.get(reverse("committee:winners")).content.decode()
    assert NEW_ZH in winners and OLD_ZH not in winners


def test_the_meeting_report_reads_the_names_of_record(cycle, enterprise_a):
    from django.template.loader import render_to_string
    from django.utils import translation

    app = ApplicationFactory(cycle=cycle, enterprise=enterprise_a, status=ApplicationStatus.NOMINATED)
    Enterprise.objects.filter(pk=enterprise_a.pk).update(
        name_zh="改了名的公司", credit_code=credit_code_with_check("91431003MA4L1212")
    )
    app.refresh_from_db()

    class Ballot:
        rank, approvals, rejections, abstentions, recused, passed, tie_order = 1, 5, 0, 0, 0, True, None
        application = app

    with translation.override("zh-hans"):
        html = render_to_string("committee/pdf/report.html", {"ballots": [Ballot()], "meeting": None, "cycle": cycle})
    assert OLD_ZH in html and "改了名的公司" not in html

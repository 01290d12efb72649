"""The printable application and the acceptance receipt: rendered by the worker's task, checked with
poppler (every section's text, the checksums, the receipt number on every page), downloadable by the
enterprise and the office only."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from awards import sections
from awards.services import application_submit
from core.enums import AuditEventType
from core.models import AuditEvent, OutboxMessage
from printouts import services
from printouts.enums import Document, PrintStatus
from printouts.models import Printout
from tests.factories.awards import ApplicationFactory, fill_application
from tests.media import stored_bytes

pytestmark = pytest.mark.django_db
SHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


def _text(path, page=None) -> str:
    args = ["pdftotext", "-layout"] + (["-f", str(page), "-l", str(page)] if page else []) + [str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def submitted(cycle, enterprise_a, applicant_a):
    app = ApplicationFactory(cycle=cycle, enterprise=enterprise_a)
    fill_application(app, applicant_a)
    return application_submit(application=app, by=applicant_a, notify=False)


def _rendered(submitted, by, document):
    snapshot = submitted.snapshots.get()
    printout = services.printout_request(snapshot=snapshot, document=document, by=by)
    assert services.printout_render(printout_id=printout.pk) == PrintStatus.READY
    printout.refresh_from_db()
    return printout


def test_a_request_is_an_outbox_task_and_an_audit_event(submitted, applicant_a):
    snapshot = submitted.snapshots.get()
    p = services.printout_request(snapshot=snapshot, document=Document.APPLICATION, by=applicant_a)
    again = services.printout_request(snapshot=snapshot, document=Document.APPLICATION, by=applicant_a)
    assert p.pk == again.pk and p.status == PrintStatus.PENDING
    assert OutboxMessage.objects.filter(task_name="printouts.tasks.render_printout").count() == 1
    assert AuditEvent.objects.filter(event=AuditEventType.PRINTOUT_REQUESTED).count() == 1


def test_only_the_enterprise_and_the_office_may_request(submitted, applicant_b, expert, committee_member, secretary):
    snapshot = submitted.snapshots.get()
    for user in (applicant_b, expert, committee_member):
        with pytest.raises(PermissionDenied):
            services.printout_request(snapshot=snapshot, document=Document.RECEIPT, by=user)
    assert services.printout_request(snapshot=snapshot, document=Document.RECEIPT, by=secretary).pk


def test_rendering_twice_renders_once(submitted, applicant_a):
    p = _rendered(submitted, applicant_a, Document.RECEIPT)
    assert services.printout_render(printout_id=p.pk) == PrintStatus.READY
    p2 = Printout.objects.get(pk=p.pk)
    assert p2.file.name == p.file.name and p2.sha256 == p.sha256


def test_the_printable_application_has_every_section_and_the_receipt_number_on_every_page(
    submitted, applicant_a, tmp_path
):
    p = _rendered(submitted, applicant_a, Document.APPLICATION)
    path = tmp_path / "application.pdf"
    path.write_bytes(stored_bytes(p.file))
    receipt = submitted.receipt_number
    assert p.pages >= 2
    for page in range(1, p.pages + 1):
        assert receipt in _text(path, page), f"receipt number missing on page {page}"
        assert f"{page}/{p.pages}" in _squeezed(_text(path, page))
    text = _text(path)
    with translation.override("zh-hans"):
        titles = [str(t) for t in sections.SECTION_TITLES.values()] + [_("Signature and seal"), _("Enterprise seal")]
    for title in titles:
        assert _squeezed(title) in _squeezed(text), title
    data = submitted.snapshots.get().data
    squeezed = _squeezed(text)
    for a in data[sections.ATTACHMENTS]:
        assert a["sha256"] in squeezed and a["name"] in text
    for cat in submitted.cycle.framework.categories.all():
        assert cat.code in text
    assert "王总" in text and submitted.enterprise.name_zh in text
    # Look at the first page as a picture (saved for the docs).
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path), str(tmp_path / "p1")],
        check=True,
    )
    png = tmp_path / "p1.png"
    assert png.stat().st_size > 10_000
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "printout-application-page1.png").write_bytes(png.read_bytes())


def test_the_acceptance_receipt_is_one_page_with_the_number_and_the_files(submitted, applicant_a, tmp_path):
    p = _rendered(submitted, applicant_a, Document.RECEIPT)
    path = tmp_path / "receipt.pdf"
    path.write_bytes(stored_bytes(p.file))
    assert p.pages == 1
    text = _text(path)
    assert submitted.receipt_number in text
    assert submitted.credit_code in text and submitted.enterprise.name_zh in text
    for a in submitted.snapshots.get().data[sections.ATTACHMENTS]:
        assert a["sha256"][:32] in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(tmp_path / "r")], check=True)
    (SHOTS / "printout-receipt.png").write_bytes((tmp_path / "r.png").read_bytes())


def test_the_english_rendering_reads_in_english(submitted):
    from printouts.rendering import printout_html

    html = printout_html(submitted.snapshots.get(), Document.RECEIPT, "en")
    assert "Acceptance receipt" in html and submitted.receipt_number in html


# --- the pages ----------------------------------------------------------------------------------


def test_the_enterprise_requests_and_downloads(client_for, submitted, applicant_a):
    c = client_for(applicant_a)
    page = reverse("printouts:index", kwargs={"application_id": submitted.pk})
    assert c.get(page).status_code == 200
    r = c.post(reverse("printouts:request", kwargs={"application_id": submitted.pk, "document": "receipt"}))
    assert r.status_code == 302
    p = Printout.objects.get()
    services.printout_render(printout_id=p.pk)
    assert f"printouts/{p.pk}/download/" in c.get(page).content.decode()
    r = c.get(reverse("printouts:download", kwargs={"printout_id": p.pk}))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content).startswith(b"%PDF")


def test_the_office_downloads(client_for, submitted, secretary, applicant_a):
    p = _rendered(submitted, applicant_a, Document.RECEIPT)
    assert client_for(secretary).get(reverse("printouts:download", kwargs={"printout_id": p.pk})).status_code == 200


@pytest.mark.parametrize("persona", ["applicant_b", "expert", "committee_member", "anonymous_user"])
def test_everyone_else_is_denied(client_for, submitted, applicant_a, persona, request):
    p = _rendered(submitted, applicant_a, Document.RECEIPT)
    user = None if persona == "anonymous_user" else request.getfixturevalue(persona)
    c = client_for(user)
    urls = [
        reverse("printouts:index", kwargs={"application_id": submitted.pk}),
        reverse("printouts:download", kwargs={"printout_id": p.pk}),
    ]
    for url in urls:
        r = c.get(url)
        assert r.status_code in (302, 404) and (user is None) == (r.status_code == 302)
    r = c.post(reverse("printouts:request", kwargs={"application_id": submitted.pk, "document": "application"}))
    assert r.status_code in (302, 404) and Printout.objects.count() == 1
    if user is not None:
        assert r.status_code == 404


def test_an_unknown_document_or_a_draft_is_not_found(client_for, applicant_a, submitted):
    from tests.factories.awards import CycleFactory

    c = client_for(applicant_a)
    assert (
        c.post(reverse("printouts:request", kwargs={"application_id": submitted.pk, "document": "x"})).status_code
        == 404
    )
    draft = ApplicationFactory(cycle=CycleFactory(), enterprise=submitted.enterprise)
    assert c.get(reverse("printouts:index", kwargs={"application_id": draft.pk})).status_code == 404


def test_the_office_finds_the_pdfs_from_the_eligibility_review(client_for, submitted, secretary):
    r = client_for(secretary).get(reverse("awards:review", kwargs={"pk": submitted.pk}))
    assert reverse("printouts:index", kwargs={"application_id": submitted.pk}) in r.content.decode()
    assert (
        client_for(secretary).get(reverse("printouts:index", kwargs={"application_id": submitted.pk})).status_code
        == 200
    )


def test_the_receipt_carries_the_programmes_office_seal(applicant_a, enterprise_a):
    from printouts.rendering import printout_html
    from tests.factories.awards import CycleFactory, ProgrammeFactory

    hunan = CycleFactory(programme=ProgrammeFactory(slug="hunan", name_zh="湖南省省长质量奖"))
    app = application_submit(
        application=fill_application(ApplicationFactory(cycle=hunan, enterprise=enterprise_a), applicant_a),
        by=applicant_a,
        notify=False,
    )
    html = printout_html(app.snapshots.get(), Document.RECEIPT)
    seal = "".join(re.findall(r'dominant-baseline="central">(.)</text>', html))
    assert seal == "湖南省省长质量奖评审办公室"

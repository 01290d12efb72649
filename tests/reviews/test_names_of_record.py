"""Experts' pages, the review exports and the admin search use the names of record of a submitted
application (as submitted), never the enterprise's profile as its owner edited it since."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards import sections
from awards.models import Application
from enterprises.models import Enterprise
from reviews.enums import AssignmentStatus
from reviews.models import Assignment
from tests.factories.reviews import submitted_sheet

pytestmark = pytest.mark.django_db

RECORD_ZH = "郴州甲企业有限公司"
RECORD_EN = "Chenzhou Alpha Co., Ltd."
LIVE_ZH = "郴州改名后集团"
LIVE_EN = "Renamed Holdings"
LIVE_CODE = "91431000MA4L0NEW9X"


@pytest.fixture
def renamed(review):
    """Application A submitted under its names (of record), then the enterprise renamed in its profile."""
    panel, lead, peers = review
    application = panel.application
    Application.objects.filter(pk=application.pk).update(**sections.names_of_record(application.enterprise))
    Enterprise.objects.filter(pk=application.enterprise_id).update(
        name_zh=LIVE_ZH, name_en=LIVE_EN, credit_code=LIVE_CODE
    )
    application.refresh_from_db()
    return panel, lead, peers


def _no_live_name(text: str) -> None:
    assert LIVE_ZH not in text and LIVE_EN not in text and LIVE_CODE not in text


def test_expert_pages_show_the_names_of_record(client_for, renamed, expert):
    panel, lead, _peers = renamed
    c = client_for(expert)
    work = c.get(reverse("reviews:my_work")).content.decode()
    assert RECORD_ZH in work
    _no_live_name(work)
    sheet = c.get(reverse("reviews:sheet", args=[lead.pk]))
    assert sheet.status_code == 200
    text = sheet.content.decode()
    assert RECORD_ZH in text and RECORD_EN in text and panel.application.record_credit_code in text
    _no_live_name(text)


def test_the_declaration_page_names_the_enterprise_of_record(client_for, renamed):
    _panel, _lead, peers = renamed
    Assignment.objects.filter(pk=peers[0].pk).update(status=AssignmentStatus.PENDING)
    page = client_for(peers[0].expert).get(reverse("reviews:declare", args=[peers[0].pk]))
    assert page.status_code == 200
    assert RECORD_ZH in page.content.decode()
    _no_live_name(page.content.decode())


def test_exports_use_the_names_of_record(client_for, renamed, secretary, cycle):
    panel, lead, peers = renamed
    for a in [lead, *peers]:
        submitted_sheet(a, 60)
    c = client_for(secretary)
    text = b"".join(c.get(reverse("reviews:export", args=[cycle.pk, "csv"])).streaming_content).decode("utf-8-sig")
    assert text.count(RECORD_ZH) == 1 + 5 * 23  # the ranking row and every item score row
    _no_live_name(text)
    wb = load_workbook(
        io.BytesIO(b"".join(c.get(reverse("reviews:export", args=[cycle.pk, "xlsx"])).streaming_content))
    )
    ranking, scores = wb.worksheets
    assert [ranking.cell(2, n).value for n in (2, 3, 4)] == [RECORD_ZH, RECORD_EN, panel.application.credit_code]
    assert [scores.cell(2, n).value for n in (2, 3, 4)] == [RECORD_ZH, RECORD_EN, panel.application.credit_code]
    cells = [str(cell.value) for ws in wb.worksheets for row in ws.iter_rows() for cell in row]
    _no_live_name("\n".join(cells))


@pytest.mark.parametrize(
    ("app_label", "model"),
    [("awards", "application"), ("reviews", "panel"), ("reviews", "assignment"), ("reviews", "scoresheet")],
)
def test_admin_search_finds_the_name_of_record(client_for, admin_user, renamed, app_label, model):
    panel, lead, peers = renamed
    for a in [lead, *peers]:
        submitted_sheet(a, 60)
    c = client_for(admin_user)
    url = reverse(f"admin:{app_label}_{model}_changelist")
    found = c.get(url, {"q": "甲企业"})
    assert found.status_code == 200 and found.context["cl"].result_count >= 1
    if model != "application":  # the application admin also finds drafts, which only have the live name
        assert c.get(url, {"q": "改名后"}).context["cl"].result_count == 0
    assert c.get(url, {"q": "Alpha"}).context["cl"].result_count >= 1


def test_application_admin_search_finds_the_credit_code_of_record(client_for, admin_user, renamed):
    panel, _lead, _peers = renamed
    c = client_for(admin_user)
    url = reverse("admin:awards_application_changelist")
    assert c.get(url, {"q": panel.application.record_credit_code}).context["cl"].result_count == 1

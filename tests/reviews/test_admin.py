"""Admin: every review model lists; status fields are read-only; reopening goes through the service."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from reviews.enums import SheetStatus
from tests.factories.reviews import submitted_sheet

MODELS = [
    "expertprofile",
    "pastclient",
    "declaredconflict",
    "reviewround",
    "panel",
    "assignment",
    "scoresheet",
    "itemscore",
    "categoryfeedback",
    "consensus",
]


@pytest.mark.parametrize("model", MODELS)
def test_every_review_model_lists(client_for, admin_user, review, model):
    assert client_for(admin_user).get(f"/admin/reviews/{model}/").status_code == 200


def test_sheet_status_read_only_and_reopen_action(client_for, admin_user, review):
    _panel, lead, _peers = review
    sheet = submitted_sheet(lead, 50)
    c = client_for(admin_user)
    page = c.get(reverse("admin:reviews_scoresheet_change", args=[sheet.pk])).content.decode()
    assert 'name="status"' not in page
    c.post("/admin/reviews/scoresheet/", {"action": "reopen", "_selected_action": [sheet.pk]})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
    assert AuditEvent.objects.filter(action="review.sheet_reopened").exists()

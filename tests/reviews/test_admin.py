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


@pytest.mark.parametrize(
    "model", ["assignment", "itemscore", "consensus", "scoresheet", "categoryfeedback", "declaredconflict"]
)
def test_review_records_cannot_be_deleted_in_the_admin(rf, admin_user, model):
    from django.apps import apps
    from django.contrib import admin

    request = rf.get("/")
    request.user = admin_user
    model_admin = admin.site._registry[apps.get_model("reviews", model)]
    assert model_admin.has_delete_permission(request) is False


def test_deleting_a_submitted_score_in_the_admin_is_forbidden(client_for, admin_user, review):
    from reviews.models import ItemScore

    _panel, lead, _peers = review
    submitted_sheet(lead, 60)
    score = ItemScore.objects.first()
    url = reverse("admin:reviews_itemscore_delete", args=[score.pk])
    assert client_for(admin_user).post(url, {"post": "yes"}).status_code == 403
    assert ItemScore.objects.filter(pk=score.pk).exists()


def test_panel_members_are_not_edited_in_the_admin(client_for, admin_user, review):
    panel, _lead, _peers = review
    page = client_for(admin_user).get(reverse("admin:reviews_panel_change", args=[panel.pk])).content.decode()
    assert 'name="assignments-0-expert"' not in page

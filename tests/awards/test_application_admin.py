"""Admin: applications with their snapshots, attachments and history; snapshots read-only."""

import pytest

from awards import services
from tests.factories.awards import fill_application


@pytest.fixture
def submitted_a(application_a, applicant_a):
    fill_application(application_a, applicant_a)
    return services.application_submit(application=application_a, by=applicant_a)


def test_application_change_page_has_the_inlines(client_for, admin_user, submitted_a):
    body = client_for(admin_user).get(f"/admin/awards/application/{submitted_a.pk}/change/").content.decode()
    assert submitted_a.receipt_number in body
    assert "licence.pdf" in body and "self-assessment.pdf" in body
    assert f"/applications/{submitted_a.pk}/attachments/" in body


def test_snapshot_admin_is_read_only(client_for, admin_user, submitted_a):
    client = client_for(admin_user)
    snap = submitted_a.snapshots.get()
    assert client.get("/admin/awards/applicationsnapshot/").status_code == 200
    response = client.get(f"/admin/awards/applicationsnapshot/{snap.pk}/change/")
    assert response.status_code == 200 and 'name="data"' not in response.content.decode()
    before = snap.data
    response = client.post(f"/admin/awards/applicationsnapshot/{snap.pk}/change/", {"data": "{}"})
    assert response.status_code == 403
    snap.refresh_from_db()
    assert snap.data == before
    assert client.post(f"/admin/awards/applicationsnapshot/{snap.pk}/delete/", {"post": "yes"}).status_code == 403


def test_attachment_admin_lists(client_for, admin_user, submitted_a):
    body = client_for(admin_user).get("/admin/awards/applicationattachment/").content.decode()
    assert "licence.pdf" in body


@pytest.mark.parametrize("role", ["secretary", "applicant_a"])
def test_admin_refused_to_non_staff(request, db, client_for, role):
    response = client_for(request.getfixturevalue(role)).get("/admin/awards/applicationsnapshot/")
    assert response.status_code == 302

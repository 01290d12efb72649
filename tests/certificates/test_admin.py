import pytest

from certificates.enums import CertificateStatus
from certificates.models import Certificate

pytestmark = pytest.mark.django_db
URL = "/admin/certificates/certificate/"


def test_the_admin_lists_certificates_with_read_only_status(client_for, admin_user, ready_cert_a):
    client = client_for(admin_user)
    response = client.get(URL)
    assert response.status_code == 200 and ready_cert_a.serial in response.content.decode()
    change = client.get(f"{URL}{ready_cert_a.pk}/change/").content.decode()
    assert 'name="status"' not in change and 'name="serial"' not in change
    assert client.get(f"{URL}add/").status_code == 403
    assert client.get(f"{URL}?q={ready_cert_a.serial}").status_code == 200
    assert client.get("/admin/certificates/certificatecounter/").status_code == 200


def test_the_admin_retries_a_failed_certificate_through_the_service(
    client_for, admin_user, cert_a, django_capture_on_commit_callbacks
):
    Certificate.objects.filter(pk=cert_a.pk).update(status=CertificateStatus.FAILED, error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(admin_user).post(URL, {"action": "retry_render", "_selected_action": [cert_a.pk]})
    assert Certificate.objects.get(pk=cert_a.pk).status == CertificateStatus.READY


def test_the_admin_retry_reports_a_refusal(client_for, admin_user, ready_cert_a):
    response = client_for(admin_user).post(
        URL, {"action": "retry_render", "_selected_action": [ready_cert_a.pk]}, follow=True
    )
    assert ready_cert_a.serial in response.content.decode()
    assert Certificate.objects.get(pk=ready_cert_a.pk).status == CertificateStatus.READY


def test_the_admin_revokes_with_a_reason_through_the_service(client_for, admin_user, ready_cert_a):
    client = client_for(admin_user)
    confirm = client.post(URL, {"action": "revoke", "_selected_action": [ready_cert_a.pk]})
    assert confirm.status_code == 200 and b'name="reason"' in confirm.content
    client.post(URL, {"action": "revoke", "_selected_action": [ready_cert_a.pk], "apply": "1", "reason": "Fraud"})
    ready_cert_a.refresh_from_db()
    assert ready_cert_a.status == CertificateStatus.REVOKED and ready_cert_a.revoke_reason == "Fraud"

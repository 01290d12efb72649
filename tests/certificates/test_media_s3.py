"""A certificate rendered by the Celery task (eager) lands in the S3 bucket and downloads through the checked view."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from certificates.enums import CertificateStatus
from certificates.models import Certificate
from certificates.tasks import render_certificate

pytestmark = [pytest.mark.s3, pytest.mark.django_db, pytest.mark.usefixtures("s3_media")]


@pytest.fixture
def rendered_in_bucket(cert_a):
    render_certificate.delay(certificate_id=cert_a.pk)
    return Certificate.objects.get(pk=cert_a.pk)


def test_the_task_puts_the_pdf_in_the_bucket(s3_media, rendered_in_bucket):
    cert = rendered_in_bucket
    assert cert.status == CertificateStatus.READY
    key = f"{default_storage.location}/{cert.file.name}"
    stored = s3_media.client().get_object(Bucket=default_storage.bucket_name, Key=key)["Body"].read()
    assert stored.startswith(b"%PDF") and hashlib.sha256(stored).hexdigest() == cert.checksum
    assert len(stored) == cert.size_bytes


def test_a_second_render_replaces_it_under_the_same_name(rendered_in_bucket):
    cert = rendered_in_bucket
    Certificate.objects.filter(pk=cert.pk).update(status=CertificateStatus.FAILED)
    render_certificate.delay(certificate_id=cert.pk)
    again = Certificate.objects.get(pk=cert.pk)
    assert again.status == CertificateStatus.READY and again.file.name == cert.file.name
    folder, files = default_storage.listdir(cert.file.name.rsplit("/", 1)[0])
    assert files == [f"{cert.serial}.pdf"]


def test_the_winner_downloads_it(client_for, applicant_a, rendered_in_bucket):
    response = client_for(applicant_a).get(reverse("certificates:download", args=[rendered_in_bucket.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == rendered_in_bucket.checksum


@pytest.mark.parametrize("persona", ["applicant_b", "expert", "committee_member"])
def test_others_get_404(request, client_for, rendered_in_bucket, persona):
    url = reverse("certificates:download", args=[rendered_in_bucket.pk])
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == 404

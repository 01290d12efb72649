"""Application attachments in the S3 bucket (the real test server): uploaded and downloaded through the views."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.demo import minimal_pdf
from awards.models import ApplicationAttachment
from core.storage import PrivateS3Storage

pytestmark = [pytest.mark.s3, pytest.mark.django_db, pytest.mark.usefixtures("s3_media")]


def _upload(client, application, content: bytes):
    url = reverse("awards:attachments", args=[application.pk])
    upload = SimpleUploadedFile("licence.pdf", content, content_type="application/pdf")
    return client.post(url, {"kind": "business_licence", "file": upload})


def test_an_uploaded_attachment_lands_in_the_bucket_and_downloads_intact(
    s3_media, client_for, applicant_a, application_a
):
    content = minimal_pdf("Business licence in the bucket")
    client = client_for(applicant_a)
    assert _upload(client, application_a, content).status_code == 302
    att = ApplicationAttachment.objects.get()
    assert isinstance(att.file.storage._wrapped, PrivateS3Storage)
    key = f"{default_storage.location}/{att.file.name}"
    stored = s3_media.client().get_object(Bucket=default_storage.bucket_name, Key=key)["Body"].read()
    assert stored == content and att.sha256 == hashlib.sha256(content).hexdigest()

    response = client.get(reverse("awards:attachment", args=[application_a.pk, att.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert int(response["Content-Length"]) == len(content)
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize("persona", ["applicant_b", "expert", "committee_member"])
def test_another_user_cannot_download_it(request, client_for, applicant_a, application_a, persona):
    assert _upload(client_for(applicant_a), application_a, minimal_pdf("Mine")).status_code == 302
    att = ApplicationAttachment.objects.get()
    url = reverse("awards:attachment", args=[application_a.pk, att.pk])
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == 404


def test_anonymous_is_sent_to_log_in(client, client_for, applicant_a, application_a):
    assert _upload(client_for(applicant_a), application_a, minimal_pdf("Mine")).status_code == 302
    att = ApplicationAttachment.objects.get()
    response = client.get(reverse("awards:attachment", args=[application_a.pk, att.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_object_gone_from_the_bucket_is_404_not_500(client_for, applicant_a, application_a):
    client = client_for(applicant_a)
    assert _upload(client, application_a, minimal_pdf("Soon gone")).status_code == 302
    att = ApplicationAttachment.objects.get()
    default_storage.delete(att.file.name)
    assert client.get(reverse("awards:attachment", args=[application_a.pk, att.pk])).status_code == 404

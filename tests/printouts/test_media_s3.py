"""A printout rendered into the S3 bucket (the real test server) and downloaded through the checked view."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from awards.services import application_submit
from printouts import services
from printouts.enums import Document, PrintStatus
from tests.factories.awards import ApplicationFactory, fill_application

pytestmark = [pytest.mark.s3, pytest.mark.django_db, pytest.mark.usefixtures("s3_media")]


@pytest.fixture
def receipt(cycle, enterprise_a, applicant_a):
    app = ApplicationFactory(cycle=cycle, enterprise=enterprise_a)
    fill_application(app, applicant_a)
    submitted = application_submit(application=app, by=applicant_a, notify=False)
    printout = services.printout_request(snapshot=submitted.snapshots.get(), document=Document.RECEIPT, by=applicant_a)
    assert services.printout_render(printout_id=printout.pk) == PrintStatus.READY
    printout.refresh_from_db()
    return printout


def test_the_receipt_is_in_the_bucket_and_downloads(s3_media, client_for, applicant_a, receipt):
    key = f"{default_storage.location}/{receipt.file.name}"
    stored = s3_media.client().get_object(Bucket=default_storage.bucket_name, Key=key)["Body"].read()
    assert stored.startswith(b"%PDF")
    response = client_for(applicant_a).get(reverse("printouts:download", kwargs={"printout_id": receipt.pk}))
    assert response.status_code == 200 and b"".join(response.streaming_content) == stored


def test_another_enterprise_gets_404(client_for, applicant_b, receipt):
    url = reverse("printouts:download", kwargs={"printout_id": receipt.pk})
    assert client_for(applicant_b).get(url).status_code == 404

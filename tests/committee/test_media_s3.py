"""Committee minutes rendered to the S3 bucket (the real test server) and downloaded through the checked view."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from committee import services, tasks
from committee.models import Meeting

pytestmark = [pytest.mark.s3, pytest.mark.django_db, pytest.mark.usefixtures("s3_media")]


def _close(meeting, members, secretary):
    for ballot in meeting.ballots.order_by("rank"):
        services.ballot_open(ballot=ballot, by=secretary)
        for m in members[:5]:
            services.vote_cast(ballot=ballot, by=m, choice="approve")
        services.ballot_close(ballot=ballot, by=secretary)
    services.meeting_close(meeting=meeting, by=secretary)


def test_minutes_land_in_the_bucket_and_download(s3_media, client_for, open_meeting, members, secretary):
    _close(open_meeting, members, secretary)
    name = tasks.render_minutes(meeting_id=open_meeting.pk)
    meeting = Meeting.objects.get(pk=open_meeting.pk)
    key = f"{default_storage.location}/{name}"
    stored = s3_media.client().get_object(Bucket=default_storage.bucket_name, Key=key)["Body"].read()
    assert stored.startswith(b"%PDF") and meeting.minutes_pdf.name == name

    url = reverse("committee:minutes_pdf", args=[meeting.pk])
    for user in (members[0], secretary):
        response = client_for(user).get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == stored


def test_minutes_are_404_for_an_applicant(client_for, open_meeting, members, secretary, applicant_a):
    _close(open_meeting, members, secretary)
    tasks.render_minutes(meeting_id=open_meeting.pk)
    url = reverse("committee:minutes_pdf", args=[open_meeting.pk])
    assert client_for(applicant_a).get(url).status_code == 404

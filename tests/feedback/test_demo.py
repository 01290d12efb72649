"""seed_demo releases the 2017 reports of every application that reached expert review."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from awards.enums import ApplicationStatus
from awards.models import Application
from enterprises.models import EnterpriseMembership
from feedback.enums import ReportStatus
from feedback.models import FeedbackReport, OpportunityResponse
from feedback.selectors import reached_review

pytestmark = pytest.mark.django_db


def test_the_2017_reports_are_released_and_the_winners_read_theirs(client_for):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reviewed = Application.objects.filter(cycle__year=2017).filter(reached_review())
    assert reviewed.count() >= 4
    released = FeedbackReport.objects.filter(application__in=reviewed, status=ReportStatus.RELEASED)
    assert released.count() == reviewed.count()
    assert not released.filter(categories__opportunities="").exists()
    for winner in Application.objects.filter(cycle__year=2017, status=ApplicationStatus.AWARDED):
        user = EnterpriseMembership.objects.filter(enterprise=winner.enterprise).first().user
        report = released.get(application=winner)
        page = client_for(user).get(reverse("feedback:report", args=[report.pk]))
        assert page.status_code == 200
        assert (
            reverse("feedback:report", args=[report.pk])
            in client_for(user).get(reverse("core:dashboard")).content.decode()
        )
    # a returning applicant of the current cycle has answered its previous opportunities
    assert OpportunityResponse.objects.exclude(application__cycle__year=2017).exists()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 -- idempotent
    assert FeedbackReport.objects.filter(application__cycle__year=2017).count() == reviewed.count()

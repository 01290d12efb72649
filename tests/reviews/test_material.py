"""The expert works from the submitted version and its files; nothing is served before the declaration,
and only the panel's experts who declared no conflict may download the application's files."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awards import services as award_services
from awards.enums import ApplicationStatus
from awards.models import ApplicationAttachment
from reviews.enums import AssignmentStatus, RoundKind
from reviews.models import Assignment
from reviews.selectors import material_for_expert
from tests.factories.awards import fill_application
from tests.factories.reviews import AssignmentFactory, ExpertProfileFactory, PanelFactory, ReviewRoundFactory

from .conftest import set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(application_a, applicant_a):
    fill_application(application_a, applicant_a)
    award_services.application_submit(application=application_a, by=applicant_a, notify=False)
    return set_status(application_a, ApplicationStatus.MATERIAL_REVIEW)


@pytest.fixture
def panel(submitted, cycle, expert, conflicted_expert):
    ExpertProfileFactory(user=expert)
    panel = PanelFactory(round=ReviewRoundFactory(cycle=cycle), application=submitted)
    AssignmentFactory(panel=panel, expert=expert, is_leader=True)
    # the conflicted expert was assigned by hand and declared the conflict: released
    AssignmentFactory(panel=panel, expert=conflicted_expert, status=AssignmentStatus.CONFLICT)
    return panel


@pytest.fixture
def licence(submitted):
    return ApplicationAttachment.objects.filter(application=submitted).order_by("pk").first()


def _download(client, attachment):
    return client.get(reverse("awards:attachment", args=[attachment.application_id, attachment.pk]))


def test_material_is_the_latest_submitted_version(submitted):
    material = material_for_expert(submitted)
    assert material.snapshot.number == 1
    assert material.view["commitment"]["name"] == "王总"
    assert [a["name"] for a in material.view["attachments"]] == ["licence.pdf", "self-assessment.pdf"]
    assert len(material.view["self_assessment"]) == submitted.cycle.framework.categories.count()


def test_expert_sees_the_snapshot_on_the_sheet(client_for, panel, expert, licence):
    lead = Assignment.objects.get(panel=panel, expert=expert)
    page = client_for(expert).get(reverse("reviews:sheet", args=[lead.pk])).content.decode()
    assert "自评：方法展开学习整合" in page  # a self-assessment narrative
    assert "精密机械零部件的研发与制造" in page  # basic info: main business
    assert "自2015年起导入卓越绩效模式" in page  # declarations
    assert "12000.00" in page  # key results
    assert "总经理" in page  # commitment
    assert reverse("awards:attachment", args=[panel.application_id, licence.pk]) in page


def test_no_material_before_the_declaration(client_for, panel, expert, licence):
    lead = Assignment.objects.get(panel=panel, expert=expert)
    Assignment.objects.filter(pk=lead.pk).update(status=AssignmentStatus.PENDING)
    c = client_for(expert)
    response = c.get(reverse("reviews:sheet", args=[lead.pk]))
    assert response.status_code == 302 and response["Location"].endswith("/declare/")
    page = c.get(reverse("reviews:declare", args=[lead.pk])).content.decode()
    assert "自评：方法展开学习整合" not in page and "licence.pdf" not in page
    assert _download(c, licence).status_code == 404
    c.post(reverse("reviews:declare", args=[lead.pk]), {"declaration": "none"})
    assert _download(c, licence).status_code == 200


def test_assigned_expert_without_conflict_may_download(client_for, panel, expert, licence):
    response = _download(client_for(expert), licence)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_download_in_a_closed_round_too(client_for, panel, expert, licence):
    panel.round.__class__.objects.filter(pk=panel.round_id).update(
        opens_at=timezone.now() - dt.timedelta(days=40), closes_at=timezone.now() - dt.timedelta(days=10)
    )
    assert _download(client_for(expert), licence).status_code == 200


def test_no_download_before_the_round_opens(client_for, panel, expert, licence):
    panel.round.__class__.objects.filter(pk=panel.round_id).update(
        opens_at=timezone.now() + dt.timedelta(days=1), closes_at=timezone.now() + dt.timedelta(days=10)
    )
    assert _download(client_for(expert), licence).status_code == 404


@pytest.mark.parametrize("who", ["conflicted_expert", "unassigned_expert", "committee_member", "applicant_b"])
def test_others_may_not_download(request, client_for, panel, licence, cycle, who):
    if who == "unassigned_expert":
        from awards.enums import CycleRole
        from tests.factories.awards import CycleMembershipFactory
        from tests.factories.core import UserFactory

        user = CycleMembershipFactory(cycle=cycle, role=CycleRole.EXPERT, user=UserFactory()).user
        # on the on-site panel of another application only
        PanelFactory(round=ReviewRoundFactory(cycle=cycle, kind=RoundKind.ONSITE))
    else:
        user = request.getfixturevalue(who)
    assert _download(client_for(user), licence).status_code == 404


def test_applicant_and_office_still_download(client_for, panel, licence, applicant_a, secretary):
    assert _download(client_for(applicant_a), licence).status_code == 200
    assert _download(client_for(secretary), licence).status_code == 200


def test_a_file_uploaded_after_submission_is_not_served_to_experts(client_for, panel, expert, applicant_a):
    from awards.enums import AttachmentKind
    from tests.factories.awards import pdf_file

    set_status(panel.application, ApplicationStatus.DRAFT)
    new = award_services.attachment_add(
        application=panel.application,
        kind=AttachmentKind.OTHER,
        description="补充材料",
        upload=pdf_file("later.pdf"),
        by=applicant_a,
    )
    assert _download(client_for(applicant_a), new).status_code == 200
    assert _download(client_for(expert), new).status_code == 404


def test_a_conflict_declared_in_a_later_round_closes_the_material_and_files_of_the_earlier_one(
    client_for, panel, expert, licence
):
    from reviews.models import DeclaredConflict

    lead = Assignment.objects.get(panel=panel, expert=expert)
    c = client_for(expert)
    assert c.get(reverse("reviews:sheet", args=[lead.pk])).status_code == 200
    assert _download(c, licence).status_code == 200
    # Declared on the on-site panel of the same enterprise (recorded as a DeclaredConflict).
    DeclaredConflict.objects.create(expert=expert, enterprise=panel.application.enterprise, reason="新任独立董事")
    assert c.get(reverse("reviews:sheet", args=[lead.pk])).status_code == 404
    assert _download(c, licence).status_code == 404

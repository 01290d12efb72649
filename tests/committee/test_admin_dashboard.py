"""Admin pages for every committee model (status read-only, actions call services); dashboard sections."""

import pytest
from django.urls import reverse

from committee.enums import BallotStatus
from committee.models import Ballot

pytestmark = pytest.mark.django_db

MODELS = [
    "meeting",
    "attendance",
    "ballot",
    "vote",
    "recusal",
    "remark",
    "publicnotice",
    "objection",
    "governmentapproval",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_and_change_pages(open_ballot, members, admin_user, client_for, model):
    from committee.services import vote_cast

    vote_cast(ballot=open_ballot, by=members[0], choice="approve")
    c = client_for(admin_user)
    assert c.get(reverse(f"admin:committee_{model}_changelist")).status_code == 200
    from django.apps import apps

    obj = apps.get_model("committee", model).objects.first()
    if obj is not None:
        assert c.get(reverse(f"admin:committee_{model}_change", args=[obj.pk])).status_code == 200


def test_admin_ballot_status_is_read_only_and_action_calls_the_service(open_ballot, members, admin_user, client_for):
    c = client_for(admin_user)
    url = reverse("admin:committee_ballot_change", args=[open_ballot.pk])
    assert 'name="status"' not in c.get(url).content.decode()
    # Closing through the admin action goes through ballot_close (which moves the application).
    from committee.services import vote_cast

    for m in members[:5]:
        vote_cast(ballot=open_ballot, by=m, choice="approve")
    c.post(
        reverse("admin:committee_ballot_changelist"), {"action": "close_ballot", "_selected_action": [open_ballot.pk]}
    )
    ballot = Ballot.objects.get(pk=open_ballot.pk)
    assert ballot.status == BallotStatus.CLOSED and ballot.application.status == "approved"


def test_dashboard_sections_for_member_and_secretary(open_ballot, members, secretary, client_for):
    page = client_for(members[0]).get(reverse("core:dashboard")).content.decode()
    assert "Ballots waiting for your vote" in page or "等待您投票的表决" in page
    assert f"#ballot-{open_ballot.pk}" in page
    page = client_for(secretary).get(reverse("core:dashboard")).content.decode()
    assert reverse("committee:meeting", args=[open_ballot.meeting.pk]) in page


def test_tie_decided_through_the_page(open_meeting, members, secretary, client_for, cycle):
    from committee import services

    first, second = open_meeting.ballots.order_by("rank")
    for b in (first, second):
        services.ballot_open(ballot=b, by=secretary)
        for m in members[:5]:
            services.vote_cast(ballot=b, by=m, choice="approve")
        services.ballot_close(ballot=b, by=secretary)
    cycle.levels.filter(code="mayor").update(quota=1)
    c = client_for(secretary)
    c.post(reverse("committee:meeting_ranks", args=[open_meeting.pk]), {f"rank_{first.pk}": 1, f"rank_{second.pk}": 1})
    page = c.get(reverse("committee:meeting", args=[open_meeting.pk])).content.decode()
    assert f'name="order_{first.pk}"' in page
    c.post(reverse("committee:meeting_tie", args=[open_meeting.pk]), {f"order_{first.pk}": 2, f"order_{second.pk}": 1})
    c.post(reverse("committee:meeting_close", args=[open_meeting.pk]))
    second.refresh_from_db()
    assert second.award_level.code == "mayor"


def test_member_declares_recusal_and_secretary_records_one(open_ballot, members, secretary, client_for):
    url = reverse("committee:ballot_recuse", args=[open_ballot.pk])
    client_for(members[0]).post(url, {"reason": "曾为该企业提供咨询"})
    client_for(secretary).post(url, {"member": members[1].pk, "reason": "近亲属任职"})
    assert set(open_ballot.recusals.values_list("member_id", flat=True)) == {members[0].pk, members[1].pk}


def test_secretary_dashboard_counts_open_objections_once(open_meeting, members, secretary, cycle, candidates):
    from committee import selectors, services

    for b in open_meeting.ballots.all():
        services.ballot_open(ballot=b, by=secretary)
        for m in members[:5]:
            services.vote_cast(ballot=b, by=m, choice="approve")
        services.ballot_close(ballot=b, by=secretary)
    services.meeting_close(meeting=open_meeting, by=secretary)
    notice = services.notice_publish(cycle=cycle, by=secretary)
    services.objection_lodge(
        notice=notice, application=candidates[0], name="甲", contact="a@b.cn", reasons="r", ip="1.1.1.1"
    )
    (row,) = selectors.secretary_overview(secretary)
    assert row["cycle"].n_open_objections == 1


@pytest.mark.parametrize("model", ["ballot", "objection", "vote", "remark", "recusal", "attendance"])
def test_workflow_records_cannot_be_deleted_in_the_admin(rf, admin_user, model):
    from django.apps import apps
    from django.contrib import admin

    request = rf.get("/")
    request.user = admin_user
    model_admin = admin.site._registry[apps.get_model("committee", model)]
    assert model_admin.has_delete_permission(request) is False


def test_deleting_a_ballot_in_the_admin_is_forbidden(open_ballot, admin_user, client_for):
    url = reverse("admin:committee_ballot_delete", args=[open_ballot.pk])
    assert client_for(admin_user).post(url, {"post": "yes"}).status_code == 403
    assert Ballot.objects.filter(pk=open_ballot.pk).exists()


def test_ballot_rank_and_tie_order_are_read_only_in_the_admin(open_ballot, admin_user, client_for):
    page = client_for(admin_user).get(reverse("admin:committee_ballot_change", args=[open_ballot.pk])).content.decode()
    assert 'name="rank"' not in page and 'name="tie_order"' not in page

"""The expert record: ratings by the panel leader and the office, the facts, and who may see what."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from core.enums import AuditEventType
from core.errors import NotAllowed
from core.models import AuditEvent
from reviews import services
from reviews.enums import RaterRole, SheetStatus
from reviews.models import ExpertRating
from tests.factories.reviews import ExpertProfileFactory, submitted_sheet

pytestmark = pytest.mark.django_db
MARKS = {"timeliness": 4, "comments": 3, "conduct": 5}


@pytest.fixture
def done(review):
    """The panel of `review`: every sheet submitted (the leader is `expert`)."""
    panel, lead, peers = review
    for a in [lead, *peers]:
        submitted_sheet(a, 60)
    return panel, lead, peers


def test_the_leader_rates_a_member_and_it_is_audited(done, expert):
    panel, _lead, peers = done
    peer = peers[0].expert
    rating = services.expert_rate(rnd=panel.round, expert=peer, by=expert, note=" Clear and specific. ", **MARKS)
    assert (rating.rater_role, rating.timeliness, rating.note) == (RaterRole.LEADER, 4, "Clear and specific.")
    assert AuditEvent.objects.filter(event=AuditEventType.EXPERT_RATED, payload__as="leader").exists()
    again = services.expert_rate(rnd=panel.round, expert=peer, by=expert, **{**MARKS, "conduct": 2})
    assert again.pk == rating.pk and ExpertRating.objects.get().conduct == 2
    assert AuditEvent.objects.filter(event=AuditEventType.EXPERT_RERATED).exists()


def test_the_office_rates_any_expert_of_the_round(done, secretary, expert):
    panel, _lead, _peers = done
    rating = services.expert_rate(rnd=panel.round, expert=expert, by=secretary, **MARKS)
    assert rating.rater_role == RaterRole.OFFICE


def test_it_refuses_raters_who_may_not(done, expert, committee_member, applicant_a):
    panel, _lead, peers = done
    peer = peers[0].expert
    for by in (peers[1].expert, committee_member, applicant_a):  # a fellow member, a committee member, an applicant
        with pytest.raises(PermissionDenied):
            services.expert_rate(rnd=panel.round, expert=peer, by=by, **MARKS)
    with pytest.raises(PermissionDenied):  # nobody rates themselves
        services.expert_rate(rnd=panel.round, expert=expert, by=expert, **MARKS)


def test_it_refuses_too_early_off_scale_and_too_long(review, expert, secretary):
    panel, lead, peers = review
    peer = peers[0]
    with pytest.raises(NotAllowed) as exc:
        services.expert_rate(rnd=panel.round, expert=peer.expert, by=secretary, **MARKS)
    assert exc.value.code == "too_early"
    submitted_sheet(peer, 60)
    with pytest.raises(NotAllowed) as exc:
        services.expert_rate(rnd=panel.round, expert=peer.expert, by=secretary, **{**MARKS, "conduct": 6})
    assert exc.value.code == "scale"
    with pytest.raises(NotAllowed) as exc:
        services.expert_rate(rnd=panel.round, expert=peer.expert, by=secretary, note="x" * 2001, **MARKS)
    assert exc.value.code == "note_length"
    assert not ExpertRating.objects.exists()


def test_after_the_round_closes_an_unfinished_expert_can_be_rated(review, secretary):
    panel, _lead, peers = review
    panel.round.opens_at = timezone.now() - dt.timedelta(days=10)
    panel.round.closes_at = timezone.now() - dt.timedelta(days=1)
    panel.round.save()
    submitted_sheet(peers[0], 60, status=SheetStatus.DRAFT)
    assert services.expert_rate(rnd=panel.round, expert=peers[0].expert, by=secretary, **MARKS).timeliness == 4


@pytest.fixture
def rated(done, expert, secretary):
    panel, _lead, peers = done
    peer = peers[0].expert
    ExpertProfileFactory(user=peer)
    services.expert_rate(rnd=panel.round, expert=peer, by=expert, note="Evidence cited for every opportunity.", **MARKS)
    services.expert_rate(rnd=panel.round, expert=peer, by=secretary, timeliness=2, comments=3, conduct=4)
    return panel, peer


def test_the_office_sees_the_record_with_who_rated(rated, client_for, secretary, expert):
    panel, peer = rated
    page = client_for(secretary).get(reverse("reviews:expert_record", args=[panel.round.cycle_id, peer.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Evidence cited for every opportunity." in html and str(expert) in html
    assert "3.0" in html and "4.5" in html  # timeliness (4 + 2) / 2, conduct (5 + 4) / 2


def test_the_expert_sees_their_own_record_without_the_raters(rated, client_for, expert, secretary):
    _panel, peer = rated
    html = client_for(peer).get(reverse("reviews:my_record")).content.decode()
    assert "Evidence cited for every opportunity." in html
    assert str(expert) not in html and str(secretary) not in html


def test_the_record_pages_refuse_everyone_else(rated, client_for, expert, committee_member, applicant_a):
    panel, peer = rated
    url = reverse("reviews:expert_record", args=[panel.round.cycle_id, peer.pk])
    for user in (expert, peer, committee_member, applicant_a):
        assert client_for(user).get(url).status_code == 404
    for user in (committee_member, applicant_a):
        assert client_for(user).get(reverse("reviews:my_record")).status_code == 403
    assert client_for(None).get(reverse("reviews:my_record")).status_code == 302


def test_the_rating_form_for_the_leader_and_its_denials(done, client_for, expert, committee_member):
    panel, _lead, peers = done
    url = reverse("reviews:rate", args=[panel.round.pk, peers[0].expert.pk])
    c = client_for(expert)
    assert c.get(url).status_code == 200
    page = c.post(url, {"timeliness": "9", "comments": "3", "conduct": "4", "note": "kept"}).content.decode()
    assert "kept" in page and not ExpertRating.objects.exists()  # a bad mark: a message, the text kept
    assert c.post(url, {"timeliness": "5", "comments": "3", "conduct": "4"}).status_code == 302
    assert ExpertRating.objects.get().timeliness == 5
    for user in (peers[1].expert, committee_member):
        assert client_for(user).get(url).status_code == (404 if user == committee_member else 403)
    assert client_for(expert).get(reverse("reviews:rate", args=[panel.round.pk, expert.pk])).status_code == 403


def test_the_office_pages_link_to_the_records(rated, client_for, secretary):
    panel, peer = rated
    record = reverse("reviews:expert_record", args=[panel.round.cycle_id, peer.pk])
    experts = client_for(secretary).get(reverse("reviews:experts", args=[panel.round.cycle_id])).content.decode()
    assert record in experts
    edit = reverse("reviews:panel_edit", args=[panel.round.pk, panel.application_id])
    assert record in client_for(secretary).get(edit).content.decode()

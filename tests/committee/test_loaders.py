"""The committee loaders: the object the user may see, or Http404 (for "not yours" and "no such" alike)."""

import pytest
from django.http import Http404
from django.utils import timezone

from awards.enums import CycleRole
from committee import selectors
from committee.models import Objection, PublicNotice
from tests.factories.awards import CycleFactory, CycleMembershipFactory
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db

MISSING = 987654321


@pytest.fixture
def others(db):
    """A committee member and a secretary of another cycle."""
    other = CycleFactory()
    return [
        CycleMembershipFactory(cycle=other, role=role, user=UserFactory()).user
        for role in (CycleRole.COMMITTEE, CycleRole.SECRETARY)
    ]


@pytest.fixture
def objection(cycle, secretary, candidates):
    notice = PublicNotice.objects.create(
        cycle=cycle, starts_on=timezone.localdate(), ends_on=timezone.localdate(), published_by=secretary
    )
    notice.applications.add(candidates[0])
    return Objection.objects.create(
        notice=notice, application=candidates[0], name="张三", contact="a@b.cn", reasons="r"
    )


def _not_found(loader, user, pk):
    with pytest.raises(Http404):
        loader(user=user, pk=pk)


def test_members_and_the_office_see_the_cycle_meeting_ballot_and_notice(
    open_ballot, objection, committee_member, secretary, admin_user
):
    meeting, cycle, notice = open_ballot.meeting, open_ballot.meeting.cycle, objection.notice
    for user in (committee_member, secretary, admin_user):
        assert selectors.cycle_for_committee(user=user, pk=cycle.pk) == cycle
        assert selectors.meeting_for(user=user, pk=meeting.pk) == meeting
        assert selectors.ballot_for(user=user, pk=open_ballot.pk) == open_ballot
        assert selectors.notice_for(user=user, pk=notice.pk) == notice


def test_everyone_else_gets_404(open_ballot, objection, others, applicant_a, expert):
    meeting, cycle, notice = open_ballot.meeting, open_ballot.meeting.cycle, objection.notice
    for user in (*others, applicant_a, expert):
        _not_found(selectors.cycle_for_committee, user, cycle.pk)
        _not_found(selectors.meeting_for, user, meeting.pk)
        _not_found(selectors.ballot_for, user, open_ballot.pk)
        _not_found(selectors.notice_for, user, notice.pk)
        _not_found(selectors.objection_for_office, user, objection.pk)


def test_objections_are_the_offices_alone(objection, secretary, admin_user, committee_member):
    for user in (secretary, admin_user):
        assert selectors.objection_for_office(user=user, pk=objection.pk) == objection
    _not_found(selectors.objection_for_office, committee_member, objection.pk)


def test_no_such_object_is_404(secretary, admin_user):
    for loader in (
        selectors.cycle_for_committee,
        selectors.meeting_for,
        selectors.ballot_for,
        selectors.notice_for,
        selectors.objection_for_office,
    ):
        for user in (secretary, admin_user):
            _not_found(loader, user, MISSING)

"""The on-site loaders: the object the user may see, or Http404 (for "not yours" and "no such" alike)."""

import pytest
from django.http import Http404

from onsite import selectors, services
from tests.factories.enterprises import MembershipFactory
from tests.factories.onsite import shortlisted

pytestmark = pytest.mark.django_db

MISSING = 987654321


@pytest.fixture
def s(cycle):
    return shortlisted(cycle)


@pytest.fixture
def visit(s, secretary):
    return services.visit_open(application=s.application, by=secretary)


def _not_found(loader, user, pk):
    with pytest.raises(Http404):
        loader(user=user, pk=pk)


def test_visit_for_the_team_and_the_office(s, visit, secretary, admin_user, committee_member):
    for user in (s.leader, s.member, secretary, admin_user):
        assert selectors.visit_for(user=user, pk=visit.pk) == visit
    owner = MembershipFactory(enterprise=s.application.enterprise).user
    for user in (s.outsider, s.material[0].expert, owner, committee_member):
        _not_found(selectors.visit_for, user, visit.pk)
    _not_found(selectors.visit_for, secretary, MISSING)


def test_visit_summary_for_the_enterprise_only_once_closed(s, visit, secretary):
    owner = MembershipFactory(enterprise=s.application.enterprise).user
    assert selectors.visit_summary_for(user=s.member, pk=visit.pk) == visit
    _not_found(selectors.visit_summary_for, owner, visit.pk)
    _not_found(selectors.visit_summary_for, s.outsider, visit.pk)
    _not_found(selectors.visit_summary_for, secretary, MISSING)


def test_application_for_visit(s, secretary, admin_user, applicant_b, committee_member):
    for user in (s.leader, s.member, secretary, admin_user):
        assert selectors.application_for_visit(user=user, pk=s.application.pk) == s.application
    for user in (s.outsider, s.material[0].expert, applicant_b, committee_member):
        _not_found(selectors.application_for_visit, user, s.application.pk)
    _not_found(selectors.application_for_visit, secretary, MISSING)


def test_material_assignment_for_its_expert_only(s, secretary):
    mine = s.material[0]
    assert selectors.material_assignment_for(user=mine.expert, pk=mine.pk) == mine
    for user in (s.material[1].expert, s.leader, secretary):
        _not_found(selectors.material_assignment_for, user, mine.pk)
    _not_found(selectors.material_assignment_for, mine.expert, MISSING)

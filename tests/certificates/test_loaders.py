"""The certificate loaders: the object the user may see, or Http404 (for "not yours" and "no such" alike)."""

import pytest
from django.http import Http404

from awards.enums import CycleRole
from certificates import selectors
from tests.factories.awards import CycleFactory, CycleMembershipFactory
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db

MISSING = 987654321


@pytest.fixture
def other_secretary(db):
    return CycleMembershipFactory(cycle=CycleFactory(), role=CycleRole.SECRETARY, user=UserFactory()).user


def _not_found(loader, user, pk):
    with pytest.raises(Http404):
        loader(user=user, pk=pk)


def test_cycle_for_office(cycle, secretary, admin_user, other_secretary, applicant_a, committee_member):
    for user in (secretary, admin_user):
        assert selectors.cycle_for_office(user=user, pk=cycle.pk) == cycle
    for user in (other_secretary, applicant_a, committee_member):
        _not_found(selectors.cycle_for_office, user, cycle.pk)
    _not_found(selectors.cycle_for_office, secretary, MISSING)


def test_certificate_for_the_office_and_the_winner(cert_a, secretary, admin_user, applicant_a):
    for user in (secretary, admin_user, applicant_a):
        assert selectors.certificate_for(user=user, pk=cert_a.pk) == cert_a


def test_certificate_for_is_404_for_everyone_else(cert_a, applicant_b, other_secretary, expert, secretary):
    for user in (applicant_b, other_secretary, expert):
        _not_found(selectors.certificate_for, user, cert_a.pk)
    _not_found(selectors.certificate_for, secretary, MISSING)

"""The review loaders: the object the user may see, or Http404 (for "not yours" and "no such" alike)."""

import pytest
from django.http import Http404

from awards.enums import CycleRole
from reviews import selectors
from tests.factories.awards import CycleFactory, CycleMembershipFactory
from tests.factories.core import UserFactory
from tests.factories.reviews import submitted_sheet

pytestmark = pytest.mark.django_db

MISSING = 987654321


@pytest.fixture
def other_secretary(db):
    return CycleMembershipFactory(cycle=CycleFactory(), role=CycleRole.SECRETARY, user=UserFactory()).user


def _not_found(loader, user, pk):
    with pytest.raises(Http404):
        loader(user=user, pk=pk)


def test_cycle_and_round_for_office(cycle, material_round, secretary, admin_user, other_secretary, expert, applicant_a):
    for user in (secretary, admin_user):
        assert selectors.cycle_for_office(user=user, pk=cycle.pk) == cycle
        assert selectors.round_for_office(user=user, pk=material_round.pk) == material_round
    for user in (other_secretary, expert, applicant_a):
        _not_found(selectors.cycle_for_office, user, cycle.pk)
        _not_found(selectors.round_for_office, user, material_round.pk)
    _not_found(selectors.cycle_for_office, secretary, MISSING)
    _not_found(selectors.round_for_office, secretary, MISSING)


def test_assignment_for_expert(review, expert, other_experts, secretary, applicant_a):
    _panel, lead, _peers = review
    assert selectors.assignment_for_expert(user=expert, pk=lead.pk) == lead
    for user in (other_experts[0], secretary, applicant_a):  # another expert, the office, an applicant
        _not_found(selectors.assignment_for_expert, user, lead.pk)
    _not_found(selectors.assignment_for_expert, expert, MISSING)


def test_panel_for(review, expert, other_experts, secretary, admin_user, other_secretary, applicant_a, cycle):
    panel, _lead, _peers = review
    for user in (expert, other_experts[0], secretary, admin_user):
        assert selectors.panel_for(user=user, pk=panel.pk) == panel
    outsider = CycleMembershipFactory(cycle=cycle, role=CycleRole.EXPERT, user=UserFactory()).user
    for user in (outsider, other_secretary, applicant_a):
        _not_found(selectors.panel_for, user, panel.pk)
    _not_found(selectors.panel_for, secretary, MISSING)


def test_sheet_for_office(review, secretary, admin_user, other_secretary, other_experts, applicant_a):
    _panel, _lead, peers = review
    sheet = submitted_sheet(peers[0], 50)
    for user in (secretary, admin_user):
        assert selectors.sheet_for_office(user=user, pk=sheet.pk) == sheet
    for user in (other_secretary, other_experts[0], applicant_a):  # even the sheet's own expert
        _not_found(selectors.sheet_for_office, user, sheet.pk)
    _not_found(selectors.sheet_for_office, secretary, MISSING)


def test_round_for_rating(
    review, material_round, expert, other_experts, secretary, other_secretary, applicant_a, cycle
):
    for user in (expert, other_experts[0], secretary):  # the panel's experts and the office
        assert selectors.round_for_rating(user=user, pk=material_round.pk) == material_round
    outsider = CycleMembershipFactory(cycle=cycle, role=CycleRole.EXPERT, user=UserFactory()).user
    for user in (outsider, other_secretary, applicant_a):
        _not_found(selectors.round_for_rating, user, material_round.pk)
    _not_found(selectors.round_for_rating, expert, MISSING)

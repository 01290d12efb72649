"""The feedback loaders: the object the user may see, or Http404 (for "not yours" and "no such" alike)."""

import pytest
from django.http import Http404

from awards.enums import CycleRole
from feedback import selectors, services
from tests.factories.awards import CycleFactory, CycleMembershipFactory
from tests.factories.core import UserFactory
from tests.factories.feedback import fill_report

pytestmark = pytest.mark.django_db

MISSING = 987654321


@pytest.fixture
def report(app_a, leader):
    return services.report_start(application=app_a, by=leader)


@pytest.fixture
def other_secretary(db):
    return CycleMembershipFactory(cycle=CycleFactory(), role=CycleRole.SECRETARY, user=UserFactory()).user


def _not_found(loader, user, pk):
    with pytest.raises(Http404):
        loader(user=user, pk=pk)


def test_report_for_the_leader_and_the_office_then_the_enterprise_once_released(
    report, leader, secretary, admin_user, applicant_a
):
    for user in (leader, secretary, admin_user):
        assert selectors.report_for(user=user, pk=report.pk) == report
    _not_found(selectors.report_for, applicant_a, report.pk)  # a draft: not the enterprise's yet
    fill_report(report, leader)
    services.report_submit(report=report, by=leader)
    services.report_approve(
        report=report, by=secretary, accurate=True, actionable=True, anonymous=True, release_on=None
    )
    services.report_release(report=report, by=secretary)
    assert selectors.report_for(user=applicant_a, pk=report.pk) == report


def test_report_for_is_404_for_everyone_else(report, experts, applicant_b, committee_member, other_secretary, leader):
    for user in (experts[1], applicant_b, committee_member, other_secretary):  # a panel member who does not lead
        _not_found(selectors.report_for, user, report.pk)
    _not_found(selectors.report_for, leader, MISSING)


def test_application_for_report(app_a, leader, experts, secretary, admin_user, applicant_a, other_secretary):
    for user in (leader, secretary, admin_user):
        assert selectors.application_for_report(user=user, pk=app_a.pk) == app_a
    for user in (experts[1], applicant_a, other_secretary):
        _not_found(selectors.application_for_report, user, app_a.pk)
    _not_found(selectors.application_for_report, secretary, MISSING)


def test_cycle_for_office(cycle, secretary, admin_user, other_secretary, leader, applicant_a):
    for user in (secretary, admin_user):
        assert selectors.cycle_for_office(user=user, pk=cycle.pk) == cycle
    for user in (other_secretary, leader, applicant_a):
        _not_found(selectors.cycle_for_office, user, cycle.pk)
    _not_found(selectors.cycle_for_office, secretary, MISSING)

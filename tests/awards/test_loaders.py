"""The awards loaders: the object the user may see, or Http404 (for "not yours" and "no such" alike)."""

import pytest
from django.http import Http404

from awards import selectors
from awards.enums import CycleRole
from tests.factories.awards import CycleFactory, CycleMembershipFactory
from tests.factories.core import UserFactory

MISSING = 987654321


def test_application_for_its_enterprise_and_office(applicant_a, secretary, admin_user, application_a):
    for user in (applicant_a, secretary, admin_user):
        assert selectors.application_for(user=user, pk=application_a.pk) == application_a


@pytest.mark.parametrize("role", ["applicant_b", "expert", "committee_member"])
def test_application_for_is_404_for_others(request, application_a, role):
    with pytest.raises(Http404):
        selectors.application_for(user=request.getfixturevalue(role), pk=application_a.pk)


def test_application_for_is_404_for_another_cycles_secretary(application_a):
    other = CycleMembershipFactory(cycle=CycleFactory(), role=CycleRole.SECRETARY, user=UserFactory()).user
    with pytest.raises(Http404):
        selectors.application_for(user=other, pk=application_a.pk)


def test_application_for_is_404_for_no_such_application(applicant_a, admin_user):
    for user in (applicant_a, admin_user):
        with pytest.raises(Http404):
            selectors.application_for(user=user, pk=MISSING)


def test_cycle_for_office_sees_its_cycle(secretary, admin_user, cycle):
    assert selectors.cycle_for_office(user=secretary, pk=cycle.pk) == cycle
    assert selectors.cycle_for_office(user=admin_user, pk=cycle.pk) == cycle


def test_cycle_for_office_is_404_for_another_secretary_other_roles_and_no_such_cycle(
    cycle, applicant_a, expert, committee_member, secretary
):
    other = CycleMembershipFactory(cycle=CycleFactory(), role=CycleRole.SECRETARY, user=UserFactory()).user
    for user in (other, applicant_a, expert, committee_member):
        with pytest.raises(Http404):
            selectors.cycle_for_office(user=user, pk=cycle.pk)
    with pytest.raises(Http404):
        selectors.cycle_for_office(user=secretary, pk=MISSING)


def test_attachment_for(application_a, applicant_a, applicant_b, secretary, expert, committee_member):
    from awards import services
    from awards.enums import AttachmentKind
    from tests.factories.awards import pdf_file

    attachment = services.attachment_add(
        application=application_a, kind=AttachmentKind.OTHER, description="补充材料", upload=pdf_file(), by=applicant_a
    )
    for user in (applicant_a, secretary):
        assert selectors.attachment_for(user=user, application_id=application_a.pk, pk=attachment.pk) == attachment
    for user in (applicant_b, expert, committee_member):  # an expert on no panel of it
        with pytest.raises(Http404):
            selectors.attachment_for(user=user, application_id=application_a.pk, pk=attachment.pk)
    for application_id, pk in ((application_a.pk, MISSING), (MISSING, attachment.pk)):
        with pytest.raises(Http404):
            selectors.attachment_for(user=secretary, application_id=application_id, pk=pk)

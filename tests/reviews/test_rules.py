"""'This assignment is the signed-in expert's', stated once (reviews.rules.is_own_assignment)."""

from django.contrib.auth.models import AnonymousUser

from reviews.enums import AssignmentStatus
from reviews.rules import is_own_assignment
from tests.factories.core import UserFactory
from tests.factories.reviews import AssignmentFactory


def test_it_is_the_experts_own_assignment_whatever_its_state(db):
    assignment = AssignmentFactory(status=AssignmentStatus.CONFLICT)
    assert is_own_assignment(assignment.expert, assignment)
    assert not is_own_assignment(UserFactory(), assignment)
    assert not is_own_assignment(AnonymousUser(), assignment)
    assert not is_own_assignment(assignment.expert, None)

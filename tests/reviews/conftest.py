import pytest

from awards.enums import ApplicationStatus, CycleRole
from awards.models import Application
from tests.factories.awards import CycleMembershipFactory
from tests.factories.core import UserFactory
from tests.factories.reviews import AssignmentFactory, ExpertProfileFactory, PanelFactory, ReviewRoundFactory


def set_status(application, status):
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


@pytest.fixture
def material_round(cycle):
    return ReviewRoundFactory(cycle=cycle)


@pytest.fixture
def other_experts(cycle):
    users = []
    for i in range(4):
        u = CycleMembershipFactory(
            cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email=f"peer{i}@pool.example.cn")
        ).user
        ExpertProfileFactory(user=u)
        users.append(u)
    return users


@pytest.fixture
def review(material_round, application_a, expert, other_experts):
    """Application A in material review with a panel of five: `expert` leads it and has declared no conflict."""
    set_status(application_a, ApplicationStatus.MATERIAL_REVIEW)
    ExpertProfileFactory(user=expert)
    panel = PanelFactory(round=material_round, application=application_a)
    lead = AssignmentFactory(panel=panel, expert=expert, is_leader=True)
    peers = [AssignmentFactory(panel=panel, expert=u) for u in other_experts]
    return panel, lead, peers

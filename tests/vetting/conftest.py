import datetime as dt

import pytest

from awards import services as award_services
from awards.enums import CycleRole, StageKind
from awards.stages import StageSpec
from tests.factories.awards import CycleMembershipFactory, fill_application
from tests.factories.core import UserFactory

K = StageKind
RECOMMENDED_CYCLE = (
    K.RECOMMENDATION,
    K.ELIGIBILITY,
    K.OPINIONS,
    K.MATERIAL_REVIEW,
    K.ONSITE_REVIEW,
    K.COMMITTEE,
    K.PUBLIC_NOTICE,
    K.GOVERNMENT_APPROVAL,
)


@pytest.fixture
def vetted_cycle(cycle, secretary):
    """The cycle runs a recommendation and department opinions; the recommendation window is open."""
    day = dt.date.today() - dt.timedelta(days=5)
    specs = []
    for kind in RECOMMENDED_CYCLE:
        length = 40 if kind == K.RECOMMENDATION else 5
        specs.append(StageSpec(kind, day, day + dt.timedelta(days=length)))
        day += dt.timedelta(days=length + 1)
    award_services.cycle_stages_set(cycle=cycle, stages=specs, by=secretary)
    return cycle


@pytest.fixture
def recommender(vetted_cycle, enterprise_a):
    return CycleMembershipFactory(
        cycle=vetted_cycle,
        role=CycleRole.RECOMMENDER,
        district=enterprise_a.district,
        unit="北湖区市场监督管理局",
        user=UserFactory(email="amr@beihu.example.cn"),
    ).user


@pytest.fixture
def other_recommender(vetted_cycle, enterprise_a):
    district = "431081" if enterprise_a.district != "431081" else "431002"
    return CycleMembershipFactory(
        cycle=vetted_cycle,
        role=CycleRole.RECOMMENDER,
        district=district,
        unit="资兴市市场监督管理局",
        user=UserFactory(email="amr@zixing.example.cn"),
    ).user


@pytest.fixture
def submitted_a(vetted_cycle, application_a, applicant_a):
    return award_services.application_submit(application=fill_application(application_a, applicant_a), by=applicant_a)

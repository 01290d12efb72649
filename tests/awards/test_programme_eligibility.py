"""An enterprise applies only to a programme whose divisions include its district: the services refuse
the rest, and the applicant's page offers only the open cycles of programmes it may apply to."""

import pytest
from django.urls import reverse

from awards import selectors, services
from awards.enums import ApplicationStatus
from awards.models import Application
from core.errors import NotAllowed
from tests.factories.awards import CycleFactory, ProgrammeFactory, fill_application
from tests.factories.core import UserFactory
from tests.factories.enterprises import EnterpriseFactory, MembershipFactory

CHANGSHA = "430102"  # 芙蓉区, Changsha: in Hunan, outside Chenzhou


@pytest.fixture
def hunan(db):
    return ProgrammeFactory(slug="hunan", name_zh="湖南省省长质量奖", name_en="Hunan Governor Quality Award")


@pytest.fixture
def hunan_cycle(hunan):
    return CycleFactory(programme=hunan, edition=1, year=2101, title_zh="首届湖南省省长质量奖", title_en="1st Hunan")


@pytest.fixture
def changsha_enterprise(db):
    return EnterpriseFactory(name_zh="长沙丙企业有限公司", name_en="Changsha Gamma Co., Ltd.", district=CHANGSHA)


@pytest.fixture
def changsha_applicant(changsha_enterprise):
    return MembershipFactory(enterprise=changsha_enterprise, user=UserFactory(email="carol@gamma.example.cn")).user


def test_an_enterprise_inside_the_divisions_may_start(cycle, enterprise_a, applicant_a):
    app = services.application_start(enterprise=enterprise_a, cycle=cycle, by=applicant_a)
    assert app.status == ApplicationStatus.DRAFT and app.cycle.programme.slug == "chenzhou"


def test_the_provincial_award_admits_every_hunan_district(hunan_cycle, enterprise_a, applicant_a, changsha_enterprise):
    assert services.application_start(enterprise=enterprise_a, cycle=hunan_cycle, by=applicant_a).pk
    member = MembershipFactory(enterprise=changsha_enterprise).user
    assert services.application_start(enterprise=changsha_enterprise, cycle=hunan_cycle, by=member).pk


def test_an_enterprise_outside_the_divisions_is_refused(cycle, changsha_enterprise, changsha_applicant):
    with pytest.raises(NotAllowed) as exc:
        services.application_start(enterprise=changsha_enterprise, cycle=cycle, by=changsha_applicant)
    assert exc.value.code == "outside_divisions"
    assert "4310" in exc.value.message and CHANGSHA in exc.value.message
    assert not Application.objects.exists()


def test_one_district_programme_refuses_the_neighbouring_district(applicant_a, enterprise_a):
    county = ProgrammeFactory(slug="suxian", divisions=["431003"])  # 苏仙区 only; A is in 北湖区 431002
    with pytest.raises(NotAllowed):
        services.application_start(enterprise=enterprise_a, cycle=CycleFactory(programme=county), by=applicant_a)


def test_submitting_is_refused_when_the_district_of_record_is_outside(application_a, applicant_a):
    """The transition to submitted checks the district as it will be submitted (the basic information)."""
    app = fill_application(application_a, applicant_a)
    Application.objects.filter(pk=app.pk).update(basic_info={**app.basic_info, "district": CHANGSHA})
    app.refresh_from_db()
    with pytest.raises(NotAllowed) as exc:
        services.application_submit(application=app, by=applicant_a)
    assert exc.value.code == "outside_divisions"
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DRAFT and app.receipt_number is None


def test_the_receipt_carries_the_programmes_prefix(hunan_cycle, enterprise_a, applicant_a):
    app = services.application_start(enterprise=enterprise_a, cycle=hunan_cycle, by=applicant_a)
    app = services.application_submit(application=fill_application(app, applicant_a), by=applicant_a)
    assert app.receipt_number == f"{hunan_cycle.programme.receipt_prefix}-{hunan_cycle.year}-0001"


def test_only_eligible_programmes_are_offered(cycle, hunan_cycle, enterprise_a, changsha_enterprise):
    offered = dict(selectors.cycles_offered_to([enterprise_a, changsha_enterprise]))
    assert [c for c, _a in offered[enterprise_a]] == [cycle, hunan_cycle]
    assert [c for c, _a in offered[changsha_enterprise]] == [hunan_cycle]


def test_the_page_offers_the_provincial_award_only(client_for, cycle, hunan_cycle, changsha_applicant):
    body = client_for(changsha_applicant).get(reverse("awards:mine")).content.decode()
    assert hunan_cycle.title in body and "湖南省省长质量奖" in body
    assert cycle.title not in body


def test_the_page_says_when_nothing_covers_the_district(client_for, cycle, changsha_applicant):
    response = client_for(changsha_applicant).get(reverse("awards:mine"))
    assert response.status_code == 200
    assert cycle.title not in response.content.decode()
    assert 'name="cycle"' not in response.content.decode()


def test_posting_start_for_an_outside_cycle_shows_the_message(
    client_for, cycle, changsha_applicant, changsha_enterprise
):
    client = client_for(changsha_applicant)
    response = client.post(
        reverse("awards:start"), {"enterprise": changsha_enterprise.pk, "cycle": cycle.pk}, follow=True
    )
    assert response.status_code == 200 and not Application.objects.exists()
    assert any("4310" in str(m) for m in response.context["messages"])


def test_the_page_lists_every_offer_when_there_are_two(client_for, application_a, hunan_cycle, applicant_a):
    """Started for Chenzhou, the provincial award also open: no redirect, both shown."""
    response = client_for(applicant_a).get(reverse("awards:mine"))
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("awards:application", args=[application_a.pk]) in body
    assert f'name="cycle" value="{hunan_cycle.pk}"' in body

"""The award office sees the enterprises of its programmes' divisions and its own applicants only."""

import pytest
from django.urls import reverse

from tests.factories.awards import ApplicationFactory, CycleFactory, ProgrammeFactory
from tests.factories.enterprises import EnterpriseFactory


@pytest.fixture
def changsha(db):
    return EnterpriseFactory(name_zh="长沙丁企业有限公司", name_en="Changsha Delta Co., Ltd.", district="430102")


def test_the_office_sees_its_divisions_enterprises_only(client_for, secretary, enterprise_a, changsha):
    client = client_for(secretary)
    page = client.get(reverse("enterprises:office_list")).content.decode()
    assert enterprise_a.name_zh in page and changsha.name_zh not in page
    assert client.get(reverse("enterprises:office_detail", args=[enterprise_a.pk])).status_code == 200
    assert client.get(reverse("enterprises:office_detail", args=[changsha.pk])).status_code == 404


def test_an_applicant_from_outside_is_seen_by_the_office_it_applied_to(client_for, secretary, cycle, changsha):
    ApplicationFactory(cycle=cycle, enterprise=changsha)  # e.g. registered elsewhere after applying
    assert client_for(secretary).get(reverse("enterprises:office_detail", args=[changsha.pk])).status_code == 200


def test_the_provincial_office_sees_all_hunan(client_for, changsha, enterprise_a):
    from awards.enums import CycleRole
    from tests.factories.awards import CycleMembershipFactory

    hunan_cycle = CycleFactory(programme=ProgrammeFactory(slug="hunan", divisions=["43"]))
    provincial = CycleMembershipFactory(cycle=hunan_cycle, role=CycleRole.SECRETARY).user
    page = client_for(provincial).get(reverse("enterprises:office_list")).content.decode()
    assert changsha.name_zh in page and enterprise_a.name_zh in page


def test_an_administrator_sees_every_enterprise(client_for, admin_user, changsha, enterprise_a):
    page = client_for(admin_user).get(reverse("enterprises:office_list")).content.decode()
    assert changsha.name_zh in page and enterprise_a.name_zh in page


def test_others_are_refused(client_for, applicant_a, expert, enterprise_a):
    for user in (applicant_a, expert):
        assert client_for(user).get(reverse("enterprises:office_detail", args=[enterprise_a.pk])).status_code == 403

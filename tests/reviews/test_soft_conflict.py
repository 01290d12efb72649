"""The soft conflict "employer applies in the same cycle": shown on the panels, avoided for the leader
by automatic assignment (reported when unavoidable); and the assignment mail's scoring deadline."""

import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from awards.enums import ApplicationStatus, CycleRole
from core.errors import NotAllowed
from reviews import selectors, services
from reviews.models import Assignment, ExpertProfile
from tests.factories.awards import CycleMembershipFactory
from tests.factories.core import UserFactory

from .conftest import set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def rival_expert(expert, enterprise_b):
    """`expert` works for enterprise B, which applies in the same cycle, and knows the industry."""
    ExpertProfile.objects.update_or_create(
        user=expert,
        defaults={
            "employer": "郴州乙企业有限公司",
            "employer_credit_code": enterprise_b.credit_code,
            "industries": ["C"],
        },
    )
    return expert


def _fifth_expert(cycle):
    return CycleMembershipFactory(
        cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email="fifth@pool.example.cn")
    ).user


def _all_work_for(application, users):
    for user in users:
        ExpertProfile.objects.update_or_create(
            user=user, defaults={"employer_credit_code": application.enterprise.credit_code}
        )


@pytest.fixture
def both_eligible(application_a, application_b):
    set_status(application_a, ApplicationStatus.ELIGIBLE)
    set_status(application_b, ApplicationStatus.ELIGIBLE)
    return application_a, application_b


def test_the_employer_applying_is_known_only_while_it_competes(cycle, rival_expert, application_b):
    set_status(application_b, ApplicationStatus.SUBMITTED)
    assert rival_expert.pk in selectors.experts_whose_employer_applies(cycle.pk)
    set_status(application_b, ApplicationStatus.WITHDRAWN)
    assert rival_expert.pk not in selectors.experts_whose_employer_applies(cycle.pk)


def test_automatic_assignment_does_not_make_the_rivals_employee_leader(
    cycle, material_round, secretary, rival_expert, other_experts, both_eligible
):
    application_a, _b = both_eligible
    for seed in range(5):
        Assignment.objects.all().delete()
        plan = services.panels_auto_assign(rnd=material_round, by=secretary, seed=seed)
        members = Assignment.objects.filter(panel__application=application_a)
        assert members.count() == 5 and members.filter(expert=rival_expert).exists()  # may score A
        assert members.get(is_leader=True).expert != rival_expert
        assert "leader_employer_applies" not in [p.code for p in plan.problems]
        # Never on B's panel at all: B is the employer (the hard conflict).
        assert not Assignment.objects.filter(panel__application=both_eligible[1], expert=rival_expert).exists()


def test_an_unavoidable_leader_is_reported(
    cycle, material_round, secretary, application_a, application_b, other_experts
):
    set_status(application_b, ApplicationStatus.SUBMITTED)  # competes, not yet in review
    set_status(application_a, ApplicationStatus.ELIGIBLE)
    _all_work_for(application_b, [*other_experts, _fifth_expert(cycle)])
    plan = services.panels_auto_assign(rnd=material_round, by=secretary, seed=2)
    problems = [p for p in plan.problems if p.code == "leader_employer_applies"]
    assert [p.application_id for p in problems] == [application_a.pk]
    leader = Assignment.objects.get(panel__application=application_a, is_leader=True)
    assert problems[0].detail["expert"] == leader.expert_id


def test_the_report_names_the_unavoidable_leader(
    client_for, cycle, material_round, secretary, application_a, application_b, other_experts
):
    set_status(application_b, ApplicationStatus.SUBMITTED)
    set_status(application_a, ApplicationStatus.ELIGIBLE)
    _all_work_for(application_b, [*other_experts, _fifth_expert(cycle)])
    response = client_for(secretary).post(reverse("reviews:panels", args=[material_round.pk]), {"seed": "2"})
    body = response.content.decode()
    leader = Assignment.objects.get(panel__application=application_a, is_leader=True).expert
    assert "该评审组所有专家的工作单位均在本届申报" in body and str(leader) in body


def test_panels_page_and_panel_form_show_the_soft_conflict(
    client_for, cycle, material_round, secretary, rival_expert, other_experts, both_eligible
):
    application_a, _b = both_eligible
    services.panels_auto_assign(rnd=material_round, by=secretary, seed=1)
    client = client_for(secretary)
    body = client.get(reverse("reviews:panels", args=[material_round.pk])).content.decode()
    assert body.count("所在单位同届申报") == 1  # on A's panel; never on B's
    body = client.get(reverse("reviews:panel_edit", args=[material_round.pk, application_a.pk])).content.decode()
    assert "所在单位同届申报：不宜担任组长" in body


def test_the_assignment_mail_gives_the_deadline_in_the_experts_time_zone(
    cycle, material_round, secretary, rival_expert, other_experts, both_eligible, django_capture_on_commit_callbacks
):
    ExpertProfile.objects.filter(user=rival_expert).update(time_zone="Europe/Berlin")
    with django_capture_on_commit_callbacks(execute=True):
        services.panels_auto_assign(rnd=material_round, by=secretary, seed=1)
    berlin = timezone.localtime(material_round.closes_at, zoneinfo.ZoneInfo("Europe/Berlin"))
    offset = berlin.strftime("%z")
    shanghai = timezone.localtime(material_round.closes_at)
    to_rival = [m for m in mail.outbox if m.to == [rival_expert.email]]
    assert len(to_rival) == 1
    assert f"{berlin:%Y-%m-%d %H:%M}（Europe/Berlin，UTC{offset[:3]}:{offset[3:]}）" in to_rival[0].body
    others = [m for m in mail.outbox if m.to == [other_experts[0].email]]
    assert f"{shanghai:%Y-%m-%d %H:%M}（Asia/Shanghai，UTC+08:00）" in others[0].body


def test_an_unknown_time_zone_is_refused(expert):
    with pytest.raises(NotAllowed):
        services.expert_profile_save(
            user=expert,
            by=expert,
            title="",
            employer="",
            employer_credit_code="",
            industries=[],
            district="",
            past_clients=[],
            time_zone="Mars/Olympus",
        )
    assert not ExpertProfile.objects.filter(user=expert, time_zone="Mars/Olympus").exists()

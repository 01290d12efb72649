"""Stages per cycle: the transition table derived from them, the checks on a configuration, the
lock after the first submission, the office's page and the public timeline."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from awards.enums import Actor, ApplicationStatus, CycleRole, DayCount, StageKind
from awards.models import AwardCycle, CycleStage
from awards.services import StagesRefused, application_transition, cycle_stages_set
from awards.stages import StageSpec, stage_problems
from awards.workflow import DEFAULT_STAGES, TRANSITIONS, transitions_for
from core.enums import AuditEventType
from core.errors import NotAllowed
from core.models import AuditEvent
from tests.factories.awards import CycleMembershipFactory
from tests.factories.core import UserFactory

K = StageKind
TODAY = DEFAULT_STAGES
DEMO = (
    K.RECOMMENDATION,
    K.ELIGIBILITY,
    K.OPINIONS,
    K.MATERIAL_REVIEW,
    K.PRESENTATION,
    K.ONSITE_REVIEW,
    K.COMMITTEE,
    K.PUBLIC_NOTICE,
    K.GOVERNMENT_APPROVAL,
)
SOCIAL = (
    K.ELIGIBILITY,
    K.MATERIAL_REVIEW,
    K.ONSITE_REVIEW,
    K.SOCIAL_EVALUATION,
    K.COMMITTEE,
    K.PUBLIC_NOTICE,
    K.GOVERNMENT_APPROVAL,
)

# (configuration, source, target, who may make it, or None where the table refuses the move)
MOVES = [
    # today's stages
    (TODAY, ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE, Actor.SECRETARY),
    (TODAY, ApplicationStatus.ELIGIBLE, ApplicationStatus.MATERIAL_REVIEW, Actor.SECRETARY),
    (TODAY, ApplicationStatus.MATERIAL_REVIEW, ApplicationStatus.ONSITE_REVIEW, Actor.SECRETARY),
    (TODAY, ApplicationStatus.ONSITE_REVIEW, ApplicationStatus.NOMINATED, Actor.SECRETARY),
    (TODAY, ApplicationStatus.SUBMITTED, ApplicationStatus.RECOMMENDED, None),
    (TODAY, ApplicationStatus.MATERIAL_REVIEW, ApplicationStatus.PRESENTATION, None),
    (TODAY, ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE, None),
    (TODAY, ApplicationStatus.ONSITE_REVIEW, ApplicationStatus.SOCIAL_EVALUATION, None),
    # the demo's: recommendation, department opinions, presentation and defence
    (DEMO, ApplicationStatus.SUBMITTED, ApplicationStatus.RECOMMENDED, Actor.RECOMMENDER),
    (DEMO, ApplicationStatus.SUBMITTED, ApplicationStatus.INELIGIBLE, Actor.RECOMMENDER),
    (DEMO, ApplicationStatus.RECOMMENDED, ApplicationStatus.ELIGIBLE, Actor.SECRETARY),
    (DEMO, ApplicationStatus.RECOMMENDED, ApplicationStatus.WITHDRAWN, Actor.APPLICANT),
    (DEMO, ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE, Actor.DEPARTMENT),
    (DEMO, ApplicationStatus.MATERIAL_REVIEW, ApplicationStatus.INELIGIBLE, Actor.DEPARTMENT),
    (DEMO, ApplicationStatus.MATERIAL_REVIEW, ApplicationStatus.PRESENTATION, Actor.SECRETARY),
    (DEMO, ApplicationStatus.PRESENTATION, ApplicationStatus.ONSITE_REVIEW, Actor.SECRETARY),
    (DEMO, ApplicationStatus.PRESENTATION, ApplicationStatus.NOT_APPROVED, Actor.SECRETARY),
    (DEMO, ApplicationStatus.ONSITE_REVIEW, ApplicationStatus.NOMINATED, Actor.SECRETARY),
    (DEMO, ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE, None),  # the recommendation comes first
    (DEMO, ApplicationStatus.MATERIAL_REVIEW, ApplicationStatus.ONSITE_REVIEW, None),  # the presentation comes between
    (DEMO, ApplicationStatus.NOMINATED, ApplicationStatus.INELIGIBLE, None),  # the committee has it: no veto any more
    # with social evaluation after the on-site review
    (SOCIAL, ApplicationStatus.ONSITE_REVIEW, ApplicationStatus.SOCIAL_EVALUATION, Actor.SECRETARY),
    (SOCIAL, ApplicationStatus.SOCIAL_EVALUATION, ApplicationStatus.NOMINATED, Actor.SECRETARY),
    (SOCIAL, ApplicationStatus.SOCIAL_EVALUATION, ApplicationStatus.NOT_APPROVED, Actor.SECRETARY),
    (SOCIAL, ApplicationStatus.ONSITE_REVIEW, ApplicationStatus.NOMINATED, None),
    (SOCIAL, ApplicationStatus.SUBMITTED, ApplicationStatus.RECOMMENDED, None),
    (SOCIAL, ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE, None),
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_todays_stages_give_the_table_of_before():
    assert transitions_for(TODAY) is TRANSITIONS
    assert len(TRANSITIONS) == 23
    assert transitions_for(None) is TRANSITIONS


@pytest.mark.parametrize(("kinds", "source", "target", "actor"), MOVES)
def test_the_derived_table(kinds, source, target, actor):
    transition = transitions_for(kinds).get((source, target))
    if actor is None:
        assert transition is None
    else:
        assert actor in transition.actors


def _configure(cycle, kinds, by, *, panel=()):
    day = dt.date(2030, 1, 1)
    specs = []
    for kind in kinds:
        specs.append(StageSpec(kind, day, day + dt.timedelta(days=4), panel=panel if kind == K.PRESENTATION else ()))
        day += dt.timedelta(days=10)
    return cycle_stages_set(cycle=cycle, stages=specs, by=by)


def _at(application, status):
    type(application).objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


@pytest.fixture
def recommender(cycle, enterprise_a):
    return CycleMembershipFactory(
        cycle=cycle,
        role=CycleRole.RECOMMENDER,
        district=enterprise_a.district,
        user=UserFactory(email="beihu@amr.example.cn"),
        unit="北湖区市场监督管理局",
    ).user


@pytest.fixture
def department(cycle):
    return CycleMembershipFactory(
        cycle=cycle, role=CycleRole.DEPARTMENT, user=UserFactory(email="env@sthj.example.cn"), unit="市生态环境局"
    ).user


@pytest.mark.parametrize(("kinds", "source", "target", "actor"), MOVES)
def test_each_move_through_the_service(
    request, cycle, application_a, secretary, expert, recommender, department, kinds, source, target, actor
):
    _configure(cycle, kinds, secretary, panel=[expert.pk])
    app = _at(application_a, source)
    app.cycle.refresh_from_db()
    users = {
        Actor.SECRETARY: secretary,
        Actor.RECOMMENDER: recommender,
        Actor.DEPARTMENT: department,
        Actor.APPLICANT: request.getfixturevalue("applicant_a"),
    }
    if actor is None:
        with pytest.raises(NotAllowed):
            application_transition(application=app, to_status=target, by=secretary, comment="理由")
        return
    # Someone who is not the actor is refused; the actor moves it.
    other = expert
    with pytest.raises(PermissionDenied):
        application_transition(application=app, to_status=target, by=other, comment="理由")
    application_transition(application=app, to_status=target, by=users[actor], comment="理由")
    app.refresh_from_db()
    assert app.status == target


def test_a_recommender_of_another_district_may_not_recommend(cycle, application_a, secretary, enterprise_a):
    _configure(cycle, DEMO, secretary, panel=[secretary.pk])
    other = CycleMembershipFactory(
        cycle=cycle, role=CycleRole.RECOMMENDER, district="431081" if enterprise_a.district != "431081" else "431002"
    ).user
    app = _at(application_a, ApplicationStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        application_transition(application=app, to_status=ApplicationStatus.RECOMMENDED, by=other)


# --- checks on a configuration ------------------------------------------------------------------


def _specs(kinds, **overrides):
    day = dt.date(2030, 3, 1)
    out = []
    for kind in kinds:
        spec = StageSpec(kind, day, day + dt.timedelta(days=5), panel=(1,) if kind == K.PRESENTATION else ())
        for key, value in overrides.get(kind, {}).items():
            setattr(spec, key, value)
        out.append(spec)
        day += dt.timedelta(days=10)
    return out


def _messages(specs):
    return [p.message for p in stage_problems([s.counted() for s in specs])]


def test_the_demo_and_todays_configurations_work():
    assert _messages(_specs(TODAY)) == []
    assert _messages(_specs(DEMO)) == []
    assert _messages(_specs(SOCIAL)) == []


def test_committee_before_a_review_is_refused():
    kinds = (K.ELIGIBILITY, K.MATERIAL_REVIEW, K.COMMITTEE, K.ONSITE_REVIEW, K.PUBLIC_NOTICE, K.GOVERNMENT_APPROVAL)
    assert "The committee cannot deliberate before the “On-site review”: move it after." in _messages(_specs(kinds))


def test_a_presentation_without_a_panel_is_refused():
    messages = _messages(_specs(DEMO, **{K.PRESENTATION: {"panel": ()}}))
    assert messages == ["The presentation and defence needs a panel: choose its members."]


def test_a_window_ending_before_it_starts_is_refused():
    messages = _messages(_specs(TODAY, **{K.ONSITE_REVIEW: {"ends_on": dt.date(2030, 3, 1)}}))
    assert "The window ends before it starts." in messages


def test_a_window_overlapping_the_next_stage_is_refused():
    messages = _messages(_specs(TODAY, **{K.ELIGIBILITY: {"ends_on": dt.date(2030, 3, 11)}}))
    assert messages == ["The window overlaps the next stage, “Material review”, which starts on 2030-03-11."]


def test_a_required_stage_cannot_be_left_out():
    kinds = [k for k in TODAY if k != K.COMMITTEE]
    assert "Every cycle runs the “Committee deliberation”." in _messages(_specs(kinds))


def test_recommendation_after_eligibility_is_refused():
    kinds = (K.ELIGIBILITY, K.RECOMMENDATION, *TODAY[1:])
    assert "The recommendation comes before the eligibility review." in _messages(_specs(kinds))


def test_a_length_in_working_days_sets_the_end():
    # 2025's National Day week: 5 working days from Monday 29 September end on the make-up Saturday.
    (spec,) = [s.counted() for s in [StageSpec(K.PUBLIC_NOTICE, dt.date(2025, 9, 29), length=5, day_count="working")]]
    assert spec.ends_on == dt.date(2025, 10, 11)


def test_a_refused_configuration_saves_nothing(cycle, secretary):
    with pytest.raises(StagesRefused) as exc:
        cycle_stages_set(cycle=cycle, stages=_specs(DEMO, **{K.PRESENTATION: {"panel": ()}}), by=secretary)
    assert exc.value.problems[0].index == DEMO.index(K.PRESENTATION)
    assert not CycleStage.objects.filter(cycle=cycle).exists()


def test_only_the_office_configures_stages(cycle, expert, applicant_a):
    for user in (expert, applicant_a):
        with pytest.raises(PermissionDenied):
            cycle_stages_set(cycle=cycle, stages=_specs(TODAY), by=user)


# --- after the first submission -----------------------------------------------------------------


@pytest.fixture
def submitted_cycle(cycle, secretary):
    cycle_stages_set(cycle=cycle, stages=_specs(TODAY), by=secretary)
    AwardCycle.objects.filter(pk=cycle.pk).update(receipts_issued=1)
    return cycle


def test_after_a_submission_the_stages_are_fixed(submitted_cycle, secretary):
    with pytest.raises(NotAllowed) as exc:
        cycle_stages_set(cycle=submitted_cycle, stages=_specs(SOCIAL), by=secretary, reason="更多评审")
    assert exc.value.code == "stages_locked"
    assert list(CycleStage.objects.filter(cycle=submitted_cycle).values_list("kind", flat=True)) == list(TODAY)


def test_after_a_submission_a_window_moves_only_with_a_reason(submitted_cycle, secretary):
    moved = _specs(TODAY, **{K.GOVERNMENT_APPROVAL: {"ends_on": dt.date(2030, 5, 20)}})
    with pytest.raises(NotAllowed) as exc:
        cycle_stages_set(cycle=submitted_cycle, stages=moved, by=secretary)
    assert exc.value.code == "reason_required"
    cycle_stages_set(cycle=submitted_cycle, stages=moved, by=secretary, reason="市政府常务会议改期")
    stage = CycleStage.objects.get(cycle=submitted_cycle, kind=K.GOVERNMENT_APPROVAL)
    assert stage.ends_on == dt.date(2030, 5, 20)
    event = AuditEvent.objects.filter(event=AuditEventType.CYCLE_STAGE_WINDOWS_MOVED).get()
    assert event.payload["reason"] == "市政府常务会议改期"
    assert event.payload["before"][-1]["ends_on"] != "2030-05-20"


# --- the office's page and the public timeline -------------------------------------------------


def _post_for(kinds, *, panel=(), **overrides):
    data = {}
    day = dt.date(2030, 3, 1)
    for n, kind in enumerate(kinds, start=1):
        data[f"{kind}-include"] = "on"
        data[f"{kind}-order"] = str(n)
        data[f"{kind}-starts_on"] = day.isoformat()
        data[f"{kind}-ends_on"] = (day + dt.timedelta(days=5)).isoformat()
        data[f"{kind}-day_count"] = DayCount.CALENDAR
        day += dt.timedelta(days=10)
    for kind in StageKind:
        data.setdefault(f"{kind}-order", "")
        data.setdefault(f"{kind}-day_count", DayCount.CALENDAR)
    data.update({f"{K.PRESENTATION}-panel": [str(p) for p in panel]})
    data.update(overrides)
    return data


def test_the_office_configures_the_stages(client_for, cycle, secretary, expert):
    client = client_for(secretary)
    url = reverse("awards:stages", args=[cycle.pk])
    assert client.get(url).status_code == 200
    data = _post_for(DEMO, panel=[expert.pk])
    data[f"{K.PUBLIC_NOTICE}-ends_on"] = ""
    data[f"{K.PUBLIC_NOTICE}-length"] = "5"
    data[f"{K.PUBLIC_NOTICE}-day_count"] = DayCount.WORKING
    response = client.post(url, data)
    assert response.status_code == 302
    assert cycle.stage_kinds() == DEMO
    notice = CycleStage.objects.get(cycle=cycle, kind=K.PUBLIC_NOTICE)
    assert (notice.length, notice.day_count) == (5, DayCount.WORKING)
    assert list(CycleStage.objects.get(cycle=cycle, kind=K.PRESENTATION).panel.all()) == [expert]


def test_the_page_says_why_a_configuration_is_refused_next_to_the_stage(client_for, cycle, secretary):
    secretary.preferred_language = "en"
    secretary.save(update_fields=["preferred_language"])
    client = client_for(secretary)
    data = _post_for(DEMO, **{f"{K.PRESENTATION}-starts_on": "2030-05-01", f"{K.PRESENTATION}-ends_on": "2030-04-01"})
    response = client.post(reverse("awards:stages", args=[cycle.pk]), data, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert "The presentation and defence needs a panel: choose its members." in page
    assert "The window ends before it starts." in page
    assert 'value="2030-05-01"' in page  # what was typed is kept
    assert not CycleStage.objects.filter(cycle=cycle).exists()


def test_bad_dates_get_a_message_not_an_error_page(client_for, cycle, secretary):
    data = _post_for(TODAY, **{f"{K.COMMITTEE}-starts_on": "2030-13-45", f"{K.COMMITTEE}-order": "x"})
    response = client_for(secretary).post(reverse("awards:stages", args=[cycle.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].rows[list(StageKind).index(K.COMMITTEE)].errors


@pytest.mark.parametrize("role", ["applicant_a", "expert", "committee_member", "recommender", "department"])
def test_others_may_not_open_the_stages_page(request, client_for, cycle, role):
    user = request.getfixturevalue(role)
    assert client_for(user).get(reverse("awards:stages", args=[cycle.pk])).status_code == 404


def test_a_stranger_is_asked_to_log_in(anonymous, cycle):
    response = anonymous.get(reverse("awards:stages", args=[cycle.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_public_timeline_is_the_stages(anonymous, cycle, secretary):
    specs = _specs(TODAY)
    specs[-2] = StageSpec(K.PUBLIC_NOTICE, dt.date(2030, 4, 10), length=5, day_count="working")
    cycle_stages_set(cycle=cycle, stages=specs, by=secretary)
    page = anonymous.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    notice = CycleStage.objects.get(cycle=cycle, kind=K.PUBLIC_NOTICE)
    assert f"{notice.starts_on:%Y-%m-%d} – {notice.ends_on:%Y-%m-%d}" in page
    assert "(5 working days)" in page
    assert "2030-03-11 – 2030-03-16</span> Material review" in page


def test_existing_cycles_get_the_default_stages_with_their_published_dates(cycle):
    from importlib import import_module

    from django.apps import apps

    AwardCycle.objects.filter(pk=cycle.pk).update(
        material_review_due=dt.date(2027, 2, 15),
        onsite_review_start=dt.date(2027, 3, 1),
        onsite_review_end=dt.date(2027, 3, 20),
        committee_meeting_on=dt.date(2027, 4, 2),
    )
    import_module("awards.migrations.0012_stages_from_cycle_dates").forwards(apps, None)
    stages = list(CycleStage.objects.filter(cycle=cycle).order_by("order"))
    assert tuple(s.kind for s in stages) == TODAY
    material, onsite, committee = stages[1], stages[2], stages[3]
    assert material.ends_on == dt.date(2027, 2, 15) and material.starts_on is not None
    assert (onsite.starts_on, onsite.ends_on) == (dt.date(2027, 3, 1), dt.date(2027, 3, 20))
    assert committee.starts_on == committee.ends_on == dt.date(2027, 4, 2)


def test_the_office_is_warned_of_working_days_past_the_holiday_data(client_for, cycle, secretary):
    from core import workdays

    secretary.preferred_language = "en"
    secretary.save(update_fields=["preferred_language"])
    year = workdays.LAST_YEAR
    specs = _specs(TODAY)
    for spec in specs:
        spec.starts_on, spec.ends_on = spec.starts_on.replace(year=year), spec.ends_on.replace(year=year)
    specs[-2] = StageSpec(K.PUBLIC_NOTICE, dt.date(year, 12, 28), length=5, day_count="working")
    specs[-1] = StageSpec(K.GOVERNMENT_APPROVAL, dt.date(year + 1, 1, 20), dt.date(year + 1, 1, 25))
    cycle_stages_set(cycle=cycle, stages=specs, by=secretary)
    page = client_for(secretary).get(reverse("awards:stages", args=[cycle.pk])).content.decode()
    assert f"Counted in working days past {year}" in page and "Public notice." in page


def test_the_timeline_says_which_step_is_under_way(cycle, secretary):
    from zoneinfo import ZoneInfo

    from awards.selectors import APPLICATIONS_STEP, cycle_timeline, timeline_now

    cycle_stages_set(cycle=cycle, stages=_specs(TODAY), by=secretary)  # 2030-03-01 … every 10 days
    sh = ZoneInfo("Asia/Shanghai")
    AwardCycle.objects.filter(pk=cycle.pk).update(
        applications_open_at=dt.datetime(2030, 1, 1, 9, tzinfo=sh),
        applications_close_at=dt.datetime(2030, 2, 20, 17, tzinfo=sh),
    )
    cycle.refresh_from_db()
    timeline = cycle_timeline(cycle)
    first, second = timeline[0], timeline[1]
    assert timeline_now(cycle, timeline, now=dt.datetime(2030, 2, 20, 16, 59, tzinfo=sh)) == APPLICATIONS_STEP
    assert timeline_now(cycle, timeline, now=dt.datetime(2030, 2, 20, 17, 0, tzinfo=sh)) is None  # closed
    # The first stage's last day, at 23:30 in Shanghai (15:30 UTC): still that stage.
    assert timeline_now(cycle, timeline, now=dt.datetime(2030, 3, 6, 23, 30, tzinfo=sh)) == first.kind
    assert timeline_now(cycle, timeline, now=dt.datetime(2030, 3, 8, 12, tzinfo=sh)) is None  # between two stages
    assert timeline_now(cycle, timeline, now=dt.datetime(2030, 3, 11, 0, 5, tzinfo=sh)) == second.kind
    assert timeline_now(cycle, timeline, now=dt.datetime(2031, 1, 1, tzinfo=sh)) is None  # after the last


def test_the_home_page_marks_the_step_under_way(anonymous, cycle, secretary):
    from django.utils import timezone

    today = timezone.localdate()
    specs = _specs(TODAY)
    specs[1] = StageSpec(specs[1].kind, today - dt.timedelta(days=2), today + dt.timedelta(days=2))
    for i, spec in enumerate(specs):  # the stages before lie in the past, those after in the future
        if i != 1:
            delta = dt.timedelta(days=(i - 1) * 10)
            spec.starts_on, spec.ends_on = today + delta - dt.timedelta(days=3), today + delta
            if i > 1:
                spec.starts_on, spec.ends_on = today + delta, today + delta + dt.timedelta(days=5)
    AwardCycle.objects.filter(pk=cycle.pk).update(
        applications_open_at=timezone.now() - dt.timedelta(days=60),
        applications_close_at=timezone.now() - dt.timedelta(days=40),
    )
    cycle_stages_set(cycle=cycle, stages=specs, by=secretary)
    label = CycleStage.objects.get(cycle=cycle, kind=specs[1].kind).get_kind_display()
    page = anonymous.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Now: {label}" in page
    assert page.count('aria-current="step"') == 1
    with translation.override("zh-hans"):
        label_zh = str(CycleStage.objects.get(cycle=cycle, kind=specs[1].kind).get_kind_display())
    page = anonymous.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"当前：{label_zh}" in page and "进行中" in page

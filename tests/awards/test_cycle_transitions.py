"""The cycle's status through one door: awards.services.cycle_transition and its table."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from awards.enums import CycleStatus
from awards.models import AwardCycle
from awards.services import cycle_transition
from awards.workflow import CYCLE_TRANSITIONS, cycle_targets_from
from core.enums import AuditEventType
from core.errors import Conflict, NotAllowed
from core.models import AuditEvent

ALLOWED = sorted(CYCLE_TRANSITIONS)
REFUSED = sorted((a, b) for a, b in itertools.product(CycleStatus.values, repeat=2) if (a, b) not in CYCLE_TRANSITIONS)


def _at(cycle, status):
    AwardCycle.objects.filter(pk=cycle.pk).update(status=status)
    cycle.refresh_from_db()
    return cycle


def test_the_table_moves_forward_only():
    expected = sorted(
        [
            ("draft", "open"),
            ("open", "reviewing"),
            ("open", "deliberation"),
            ("reviewing", "deliberation"),
            ("deliberation", "public_notice"),
            ("public_notice", "concluded"),
        ]
    )
    assert expected == ALLOWED
    assert cycle_targets_from(CycleStatus.OPEN) == [CycleStatus.REVIEWING, CycleStatus.DELIBERATION]
    assert cycle_targets_from(CycleStatus.CONCLUDED) == []


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_each_allowed_transition_moves_the_cycle_and_is_audited(cycle, secretary, source, target):
    _at(cycle, source)
    cycle_transition(cycle=cycle, to=target, by=secretary, reason="next step")
    cycle.refresh_from_db()
    assert cycle.status == target
    event = AuditEvent.objects.filter(object_type="awards.awardcycle", object_id=str(cycle.pk)).latest("seq")
    assert event.event == AuditEventType.CYCLE_STATUS_CHANGED and event.actor == secretary
    assert event.payload == {"from": source, "to": target, "reason": "next step"}


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_each_other_transition_is_refused_and_changes_nothing(cycle, secretary, source, target):
    _at(cycle, source)
    before = AuditEvent.objects.count()
    with pytest.raises(NotAllowed) as e:
        cycle_transition(cycle=cycle, to=target, by=secretary)
    assert e.value.code == "illegal_cycle_transition"
    cycle.refresh_from_db()
    assert cycle.status == source and AuditEvent.objects.count() == before


def test_only_the_office_of_the_cycle_moves_it(cycle, expert, committee_member, applicant_a, admin_user):
    from tests.factories.awards import CycleFactory, CycleMembershipFactory

    other_secretary = CycleMembershipFactory(cycle=CycleFactory(), role="secretary").user
    for user in (expert, committee_member, applicant_a, other_secretary, None):
        with pytest.raises(PermissionDenied):
            cycle_transition(cycle=cycle, to=CycleStatus.REVIEWING, by=user)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    cycle_transition(cycle=cycle, to=CycleStatus.REVIEWING, by=admin_user)
    assert AwardCycle.objects.get(pk=cycle.pk).status == CycleStatus.REVIEWING


def test_a_stale_cycle_gets_a_conflict(cycle, secretary):
    stale = AwardCycle.objects.get(pk=cycle.pk)
    cycle_transition(cycle=cycle, to=CycleStatus.REVIEWING, by=secretary)
    with pytest.raises(Conflict):
        cycle_transition(cycle=stale, to=CycleStatus.REVIEWING, by=secretary)


# --- the admin goes through the door ---------------------------------------------------------------


def _admin_form(client, cycle) -> dict:
    page = client.get(reverse("admin:awards_awardcycle_change", args=[cycle.pk]))
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, dt.datetime):  # the admin's split date and time inputs
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = local.date().isoformat(), local.strftime("%H:%M:%S")
        else:
            data[name] = value.pk if hasattr(value, "pk") else value
    data.update({"levels-TOTAL_FORMS": "0", "levels-INITIAL_FORMS": "0"})  # the cycle has no levels
    return data


def test_the_admin_offers_only_the_allowed_moves(client_for, admin_user, cycle):
    page = client_for(admin_user).get(reverse("admin:awards_awardcycle_change", args=[cycle.pk]))
    choices = [v for v, _ in page.context["adminform"].form.fields["status"].choices]
    assert choices == [CycleStatus.OPEN, CycleStatus.REVIEWING, CycleStatus.DELIBERATION]
    add = client_for(admin_user).get(reverse("admin:awards_awardcycle_add"))
    assert [v for v, _ in add.context["adminform"].form.fields["status"].choices] == [CycleStatus.DRAFT]


def test_the_admin_moves_the_cycle_through_the_service(client_for, admin_user, cycle):
    client = client_for(admin_user)
    data = _admin_form(client, cycle)
    data["status"] = CycleStatus.REVIEWING
    response = client.post(reverse("admin:awards_awardcycle_change", args=[cycle.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.REVIEWING
    event = AuditEvent.objects.filter(object_type="awards.awardcycle", object_id=str(cycle.pk)).latest("seq")
    assert event.payload == {"from": "open", "to": "reviewing", "reason": "admin"}


def test_the_admin_refuses_a_move_the_table_does_not_allow(client_for, admin_user, cycle):
    client = client_for(admin_user)
    data = _admin_form(client, cycle)
    data["status"] = CycleStatus.CONCLUDED
    response = client.post(reverse("admin:awards_awardcycle_change", args=[cycle.pk]), data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert AwardCycle.objects.get(pk=cycle.pk).status == CycleStatus.OPEN


# --- the committee's steps move the cycle through the same door --------------------------------------


@pytest.fixture
def meeting(cycle, secretary):
    from tests.factories.committee import committee_of, nominated_application, schedule

    committee_of(cycle, 5)
    nominated_application(cycle)
    return schedule(cycle, secretary)


@pytest.mark.parametrize("status", [CycleStatus.OPEN, CycleStatus.REVIEWING])
def test_opening_the_meeting_starts_the_deliberation(meeting, secretary, status):
    from committee.services import meeting_open

    _at(meeting.cycle, status)
    meeting_open(meeting=meeting, by=secretary)
    assert AwardCycle.objects.get(pk=meeting.cycle_id).status == CycleStatus.DELIBERATION


@pytest.mark.parametrize("status", [CycleStatus.DRAFT, CycleStatus.CONCLUDED])
def test_the_meeting_does_not_open_in_a_cycle_in_preparation_or_concluded(meeting, secretary, status):
    from committee.enums import MeetingStatus
    from committee.services import meeting_open

    _at(meeting.cycle, status)
    with pytest.raises(NotAllowed) as e:
        meeting_open(meeting=meeting, by=secretary)
    assert e.value.code == "cycle_status"
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    assert AwardCycle.objects.get(pk=meeting.cycle_id).status == status


def test_a_notice_is_not_published_before_the_deliberation(cycle, secretary):
    from committee.services import notice_publish

    with pytest.raises(NotAllowed) as e:
        notice_publish(cycle=cycle, by=secretary, starts_on=dt.date.today())
    assert e.value.code == "cycle_status"

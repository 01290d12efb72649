"""Every transition of the table, allowed and refused, per role."""

import pytest
from django.core.exceptions import PermissionDenied

from awards.enums import Actor, ApplicationStatus
from awards.models import Application
from awards.services import application_transition
from awards.workflow import TRANSITIONS
from core.errors import Conflict, NotAllowed
from core.models import AuditEvent

ALL_PAIRS = [(s.value, t.value) for s in ApplicationStatus for t in ApplicationStatus if s != t]
ALLOWED = sorted(TRANSITIONS)
ILLEGAL = [pair for pair in ALL_PAIRS if pair not in TRANSITIONS]
ROLES = ["applicant_a", "applicant_b", "expert", "conflicted_expert", "committee_member", "secretary", "admin_user"]


def _may(role: str, actors) -> bool:
    if role == "applicant_a":
        return Actor.APPLICANT in actors
    if role in ("secretary", "admin_user"):
        return Actor.SECRETARY in actors
    return False


def _at(application, status):
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


@pytest.mark.parametrize(("source", "target"), ALLOWED)
@pytest.mark.parametrize("role", ROLES)
def test_allowed_transition_per_role(request, application_a, role, source, target):
    user = request.getfixturevalue(role)
    app = _at(application_a, source)
    transition = TRANSITIONS[(source, target)]
    comment = "理由 reason" if transition.needs_comment else ""
    if _may(role, transition.actors):
        application_transition(application=app, to_status=target, by=user, comment=comment)
        app.refresh_from_db()
        assert app.status == target
        history = app.transitions.get()
        assert (history.from_status, history.to_status, history.by, history.comment) == (source, target, user, comment)
        event = AuditEvent.objects.get(object_id=str(app.pk))
        assert event.payload["from"] == source and event.payload["to"] == target and event.actor == user
    else:
        with pytest.raises(PermissionDenied):
            application_transition(application=app, to_status=target, by=user, comment=comment)
        app.refresh_from_db()
        assert app.status == source
        assert not app.transitions.exists()
        assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_illegal_transitions_are_refused_for_everyone(application_a, admin_user, source, target):
    app = _at(application_a, source)
    with pytest.raises(NotAllowed) as exc:
        application_transition(application=app, to_status=target, by=admin_user, comment="x")
    assert exc.value.code == "illegal_transition"
    app.refresh_from_db()
    assert app.status == source
    assert not AuditEvent.objects.exists()


def test_awarding_a_draft_names_both_states(application_a, secretary):
    with pytest.raises(NotAllowed, match="Draft|草稿"):
        application_transition(application=application_a, to_status=ApplicationStatus.AWARDED, by=secretary)


def test_anonymous_may_not_transition(application_a):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        application_transition(application=application_a, to_status=ApplicationStatus.SUBMITTED, by=AnonymousUser())


def test_decisions_that_need_a_reason_refuse_without_one(application_a, secretary):
    app = _at(application_a, ApplicationStatus.SUBMITTED)
    with pytest.raises(NotAllowed) as exc:
        application_transition(application=app, to_status=ApplicationStatus.RETURNED, by=secretary, comment="  ")
    assert exc.value.code == "comment_required"
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED


def test_secretary_of_another_cycle_may_not_decide(application_a):
    from tests.factories.awards import CycleMembershipFactory

    other = CycleMembershipFactory(role="secretary").user
    app = _at(application_a, ApplicationStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        application_transition(application=app, to_status=ApplicationStatus.ELIGIBLE, by=other)


def test_a_stale_object_gets_a_conflict_and_changes_nothing(application_a, applicant_a, secretary):
    stale = Application.objects.get(pk=application_a.pk)
    application_transition(application=application_a, to_status=ApplicationStatus.SUBMITTED, by=applicant_a)
    # `stale` still thinks it is a draft; withdrawing it from draft must not succeed silently.
    with pytest.raises(Conflict):
        application_transition(application=stale, to_status=ApplicationStatus.WITHDRAWN, by=applicant_a)
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.SUBMITTED
    assert application_a.transitions.count() == 1


def test_version_rises_with_each_transition(application_a, applicant_a):
    before = application_a.version
    application_transition(application=application_a, to_status=ApplicationStatus.SUBMITTED, by=applicant_a)
    assert application_a.version == before + 1

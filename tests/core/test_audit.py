import ast
import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone, translation

from awards.enums import ApplicationStatus
from awards.services import application_transition
from core.audit import GENESIS, audit_record, audit_verify, event_digest
from core.enums import AuditEventType
from core.models import AuditEvent


@pytest.fixture
def events(application_a, applicant_a, secretary):
    application_transition(application=application_a, to_status=ApplicationStatus.SUBMITTED, by=applicant_a)
    application_transition(
        application=application_a, to_status=ApplicationStatus.RETURNED, by=secretary, comment="请补充"
    )
    application_transition(application=application_a, to_status=ApplicationStatus.SUBMITTED, by=applicant_a)
    return list(AuditEvent.objects.order_by("seq"))


def test_services_write_a_chained_event_per_action(events, applicant_a, secretary):
    assert [e.seq for e in events] == [1, 2, 3]
    assert {e.event for e in events} == {AuditEventType.APPLICATION_STATUS_CHANGED}
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert [e.actor for e in events] == [applicant_a, secretary, applicant_a]
    assert events[1].payload == {"from": "submitted", "to": "returned", "comment": "请补充"}
    assert audit_verify().ok and audit_verify().checked == 3


def test_verify_audit_command_passes(events, capsys):
    call_command("verify_audit")
    assert "3 events" in capsys.readouterr().out


def test_verify_audit_detects_an_event_altered_in_the_database(events):
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor_label = %s WHERE seq = 2", ["someone-else@example.org"])
    report = audit_verify()
    assert not report.ok and report.broken_seq == 2 and report.checked == 1
    with pytest.raises(CommandError, match="#2"):
        call_command("verify_audit")


def test_verify_audit_detects_a_deleted_event(events):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = 2")
    report = audit_verify()
    assert report.broken_seq == 3 and "missing" in report.reason


def test_verify_audit_detects_a_rewritten_payload_with_recomputed_own_hash(events):
    # An attacker who recomputes the altered event's own hash still breaks the next link.

    event = AuditEvent.objects.get(seq=2)
    event.payload = {"from": "submitted", "to": "eligible", "comment": ""}
    new_hash = event_digest(event)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET payload = %s, hash = %s WHERE seq = 2",
            ['{"from": "submitted", "to": "eligible", "comment": ""}', new_hash],
        )
    assert audit_verify().broken_seq == 3


def test_events_cannot_be_changed_or_deleted_through_the_orm(events):
    event = events[0]
    event.action = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(seq=1).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_event_records_ip_address_from_the_request(client_for, admin_user):
    from core.context import client_ip

    token = client_ip.set("203.0.113.9")
    try:
        event = audit_record(
            event=AuditEventType.OUTBOX_RETRY, by=admin_user, object_type="test", object_id="1", payload={"n": 1.5}
        )
    finally:
        client_ip.reset(token)
    assert event.ip_address == "203.0.113.9"
    assert audit_verify().ok


def test_admin_cannot_add_change_or_delete_events(events, client_for, admin_user):
    client = client_for(admin_user)
    assert client.get("/admin/core/auditevent/").status_code == 200
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    pk = events[0].pk
    response = client.post(f"/admin/core/auditevent/{pk}/change/", {"action": "x"})
    assert response.status_code in (200, 403)
    assert client.post(f"/admin/core/auditevent/{pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=pk).action == events[0].action


# --- one name per event ---------------------------------------------------------------------------


def test_every_event_has_its_words_in_chinese():
    untranslated = []
    for member in AuditEventType:
        with translation.override("en"):
            english = str(member.label)
        with translation.override("zh-hans"):
            chinese = str(member.label)
        if chinese == english or not re.search(r"[\u4e00-\u9fff]", chinese):
            untranslated.append(member.value)
    assert untranslated == []


def test_the_helper_refuses_an_event_outside_the_enum(admin_user):
    with pytest.raises(TypeError):
        audit_record(event="meeting.scheduled", by=admin_user, object_type="test", object_id="1")
    with pytest.raises(ValueError):
        audit_record(event=AuditEventType.MEETING_SCHEDULED, by=admin_user, object_type="test", payload={"event": "x"})
    assert not AuditEvent.objects.exists()


def _audit_calls():
    """Every call of the audit helper in the project's own code (not tests, not migrations)."""
    root = Path(settings.BASE_DIR)
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if parts[0] in {".venv", "tests", "node_modules"} or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "audit_record":
                yield f"{path.relative_to(root)}:{node.lineno}", {k.arg: k.value for k in node.keywords}


def test_every_service_names_its_event_with_the_enum():
    calls = list(_audit_calls())
    assert len(calls) > 50  # the walk found the services
    wrong = []
    for where, kw in calls:
        event = kw.get("event")
        if event is None or isinstance(event, ast.Constant | ast.JoinedStr) or "action" in kw:
            wrong.append(where)
        payload = kw.get("payload")
        keys = payload.keys if isinstance(payload, ast.Dict) else []
        if any(isinstance(k, ast.Constant) and k.value == "event" for k in keys):
            wrong.append(where)
    assert wrong == []


def test_the_chain_covers_the_event(events):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET event = %s WHERE seq = 2", ["meeting.opened"])
    report = audit_verify()
    assert not report.ok and report.broken_seq == 2


def _legacy_event(seq: int, prev: str, *, action: str, object_type: str, payload: dict) -> AuditEvent:
    """An event as the helper wrote it before the `event` column: hashed without it."""
    event = AuditEvent(
        seq=seq,
        created_at=timezone.now(),
        actor_label="system",
        action=action,
        object_type=object_type,
        object_id="1",
        payload=payload,
        prev_hash=prev,
    )
    event.hash = event_digest(event, legacy=True)
    event.save()
    return event


LEGACY = [
    ("other", "committee.meeting", {"event": "meeting.scheduled"}, "meeting.scheduled"),
    ("decision", "committee.meeting", {"event": "meeting.closed"}, "meeting.closed"),
    ("membership", "enterprises.enterprise", {"event": "invitation.created"}, "invitation.created"),
    ("application.transition", "awards.application", {"to": "submitted"}, "application.status_changed"),
    ("application.transition", "awards.awardcycle", {"from": "draft", "to": "open"}, "cycle.status_changed"),
    ("application.started", "awards.application", {"cycle": 1}, "application.started"),
    ("review.conflict", "reviews.assignment", {"conflict": True}, "review.conflict"),
    ("review.conflict", "committee.ballot", {"member": 1}, "ballot.recusal"),
    ("decision", "committee.ballot", {"passed": True}, "ballot.closed"),
    ("membership", "core.user", {"account": "opened for an expert"}, "expert.account_opened"),
    ("membership", "awards.cyclemembership", {"role": "expert"}, "expert.invited"),
    ("other", "reviews.expertprofile", {"profile": "saved"}, "expert.profile_saved"),
    ("other", "reviews.reviewround", {"round": "first"}, "review.round_set"),
    ("certificate.issued", "certificates.certificate", {"event": "certificate.reissued"}, "certificate.reissued"),
    ("certificate.issued", "certificates.certificate", {"serial": "X"}, "certificate.issued"),
    ("committee.vote", "committee.ballot", {"secret": True}, "committee.vote"),
    ("other", "awards.awardcycle", {"event": "bench"}, ""),  # a name nobody knows: left blank
]


def test_the_migration_names_the_events_recorded_before_it(db):
    prev = GENESIS
    for seq, (action, object_type, payload, _new) in enumerate(LEGACY, start=1):
        prev = _legacy_event(seq, prev, action=action, object_type=object_type, payload=payload).hash
    migration = importlib.import_module("core.migrations.0004_auditevent_event")
    state = MigrationLoader(connection).project_state(("core", "0004_auditevent_event"))
    migration.name_old_events(state.apps, None)
    assert list(AuditEvent.objects.order_by("seq").values_list("event", flat=True)) == [new for *_old, new in LEGACY]
    assert audit_verify().ok  # old events verify on the content they were hashed with
    unknown = AuditEvent.objects.get(seq=len(LEGACY))
    assert unknown.event_label == "bench"  # its old code, rather than nothing
    next_event = audit_record(event=AuditEventType.MEETING_OPENED, object_type="committee.meeting", object_id="1")
    assert next_event.prev_hash == prev and audit_verify().ok
    with translation.override("zh-hans"):
        assert AuditEvent.objects.get(seq=1).event_label == "会议已安排"

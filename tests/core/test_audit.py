import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from awards.enums import ApplicationStatus
from awards.services import application_transition
from core.audit import GENESIS, audit_record, audit_verify
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
    from core.audit import event_digest

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
        event = audit_record(action="other", by=admin_user, object_type="test", object_id="1", payload={"n": 1.5})
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

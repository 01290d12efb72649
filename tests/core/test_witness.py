"""The audit chain against its witnesses: a rewrite, a truncation, a missing or forged witness."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.audit import audit_record, audit_verify, event_digest
from core.enums import AuditEventType
from core.models import AuditEvent
from core.witness import witness_verify, witness_write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def witness_dir(settings, tmp_path):
    settings.AUDIT_WITNESS_DIR = str(tmp_path / "witness")
    return Path(settings.AUDIT_WITNESS_DIR)


def _events(n):
    for i in range(n):
        audit_record(event=AuditEventType.OUTBOX_RETRY, object_type="test.thing", object_id=str(i), payload={"i": i})


def _rechain_from(seq):
    """What an intruder with database access does: rewrite event `seq`, then recompute every later hash."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET payload = %s WHERE seq = %s", [json.dumps({"i": "forged"}), seq])
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else "0" * 64
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        event.prev_hash = prev
        new = event_digest(event)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE seq = %s", [prev, new, event.seq])
        prev = new


def test_a_witness_holds_the_head_and_is_recorded_in_the_chain(witness_dir):
    _events(3)
    path = witness_write(reason="daily")
    document = json.loads(path.read_text())
    assert document["body"]["seq"] == 3 and document["body"]["hash"] == AuditEvent.objects.get(seq=3).hash
    assert set(document["body"]["hashes"]) == {"1", "2", "3"}
    event = AuditEvent.objects.get(seq=4)
    assert event.event == AuditEventType.AUDIT_WITNESSED and event.payload["file"] == path.name
    assert witness_verify().ok


def test_a_forged_event_rechained_with_raw_sql_is_reported_by_the_first_that_differs(witness_dir, capsys):
    _events(6)
    witness_write()
    _events(2)
    _rechain_from(3)
    assert audit_verify().ok  # the chain alone cannot tell
    report = witness_verify()
    assert [(p.kind, p.seq) for p in report.problems] == [("rewritten", 3)]
    with pytest.raises(CommandError, match="event #3 differs from the witness"):
        call_command("verify_audit")


def test_deleting_the_last_events_is_reported_as_a_truncation(witness_dir):
    _events(5)
    witness_write()  # witnesses #5; records itself as #6
    witness_write()  # witnesses #6; records #7
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE seq >= 5")
    assert audit_verify().ok  # a shorter chain still links
    kinds = {(p.kind, p.seq) for p in witness_verify().problems}
    assert ("truncated", 5) in kinds
    with pytest.raises(CommandError, match="event #5 witnessed in .* is missing: the chain was cut"):
        call_command("verify_audit")


def test_a_missing_witness_file_is_named(witness_dir):
    _events(2)
    path = witness_write()
    path.unlink()
    problems = witness_verify().problems
    assert [(p.kind, p.seq) for p in problems] == [("missing", 2)]
    assert path.name in problems[0].message


def test_an_altered_witness_is_reported(witness_dir):
    _events(2)
    path = witness_write()
    document = json.loads(path.read_text())
    document["body"]["hash"] = "0" * 64
    path.write_text(json.dumps(document))
    (problem,) = witness_verify().problems
    assert problem.kind == "forged" and path.name in problem.message


def test_a_witness_signed_with_another_key_is_reported(witness_dir, settings):
    _events(2)
    settings.AUDIT_WITNESS_KEY = "another-key"
    path = witness_write()
    settings.AUDIT_WITNESS_KEY = "test-audit-witness-key"
    (problem,) = witness_verify().problems
    assert problem.kind == "forged" and "signed with another key" in problem.message and path.name in problem.message


def test_verify_audit_passes_with_its_witnesses(witness_dir, capsys):
    _events(3)
    call_command("verify_audit", "--witness")
    assert "1 witness(es) agree" in capsys.readouterr().out


def test_a_supervising_address_receives_the_witness(witness_dir, settings, django_capture_on_commit_callbacks):
    from django.core import mail

    settings.AUDIT_WITNESS_EMAIL = "supervisor@example.cn"
    _events(1)
    with django_capture_on_commit_callbacks(execute=True):
        witness_write()
    (message,) = mail.outbox
    assert message.to == ["supervisor@example.cn"] and "第 1 号事件" in message.subject


def test_the_verification_page_shows_the_chain_head_at_the_award(client, cycle, witness_dir):
    from tests.factories.certificates import issued_certificate

    certificate = issued_certificate(cycle=cycle)
    application = certificate.application
    from awards.enums import ApplicationStatus

    event = AuditEvent.objects.filter(
        object_type="awards.application", object_id=str(application.pk), payload__to=ApplicationStatus.AWARDED
    ).get()
    body = client.get(f"/verify/{certificate.verification_code}/").content.decode()
    assert f"第 {event.seq} 号事件" in body and event.hash in body

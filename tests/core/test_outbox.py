import datetime as dt
import threading
import time

import pytest
from celery.result import _set_task_join_will_block
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from config.celery import app
from core import outbox
from core.enums import OutboxKind, OutboxStatus
from core.mail import mail_queue
from core.models import OutboxMessage
from core.scopes import in_every_programme
from core.tasks import send_templated_mail


@pytest.fixture(autouse=True)
def _broker_not_quiet():
    outbox._broker_down_until = 0.0
    yield
    outbox._broker_down_until = 0.0


@pytest.fixture
def absent_broker(settings):
    """A broker URL nobody listens on: publishing fails fast instead of running the task in-process."""
    old = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.task_always_eager = False
    _reset_pools()
    yield
    app.conf.broker_url, app.conf.task_always_eager = old
    _reset_pools()


def _reset_pools():
    """Make the app connect again with its current broker URL (what a fresh web process does)."""
    app._pool = None
    app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)


def test_it_writes_a_row_in_the_transaction_and_sends_after_commit(django_capture_on_commit_callbacks, admin_user):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        mail_queue(template="welcome", to_user=admin_user, cycle=None)
        row = OutboxMessage.objects.get()
        assert row.status == OutboxStatus.QUEUED  # claimed by its own request: publishing costs no query
        assert (row.kind, row.recipient, row.language, row.template) == (
            OutboxKind.MAIL,
            admin_user.email,
            admin_user.preferred_language,
            "welcome",
        )
        assert mail.outbox == []
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
    assert row.sent_at is not None and row.attempts == 1
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_leaves_no_row_and_sends_nothing(django_capture_on_commit_callbacks, admin_user):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        mail_queue(template="welcome", to_user=admin_user)
        outbox.outbox_add_task(task_name="core.tasks.worker_health", kwargs={})
        raise RuntimeError
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_a_request_waits_about_a_second_on_an_absent_broker_and_the_row_stays_pending(
    django_capture_on_commit_callbacks, admin_user, absent_broker
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            mail_queue(template="welcome", to_user=admin_user)
    assert time.monotonic() - started < 2.5
    rows = list(OutboxMessage.objects.order_by("pk"))
    assert [r.status for r in rows] == [OutboxStatus.PENDING] * 3
    assert "broker" in rows[0].last_error
    assert rows[0].next_attempt_at > timezone.now()  # backs off
    assert rows[1].last_error == ""  # not tried: the broker had just failed
    # While the broker is known to be away, a new row is left pending for beat without trying.
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(template="welcome", to_user=admin_user)
    assert OutboxMessage.objects.order_by("pk").last().status == OutboxStatus.PENDING
    assert mail.outbox == []


def test_the_command_dispatches_what_is_pending_once_the_broker_is_back(admin_user, capsys):
    with transaction.atomic():
        mail_queue(template="welcome", to_user=admin_user)  # no on_commit in a test transaction
    # What a failed publish leaves behind.
    OutboxMessage.objects.update(status=OutboxStatus.PENDING, next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    call_command("dispatch_outbox")
    assert "1 handed over" in capsys.readouterr().out
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT
    assert len(mail.outbox) == 1
    call_command("dispatch_outbox")
    assert len(mail.outbox) == 1


def test_a_message_not_yet_due_waits_for_its_backoff(admin_user):
    mail_queue(template="welcome", to_user=admin_user)
    OutboxMessage.objects.update(status=OutboxStatus.PENDING, next_attempt_at=timezone.now() + dt.timedelta(minutes=5))
    assert outbox.outbox_dispatch().published == 0
    assert mail.outbox == []


def test_a_mail_the_broker_delivers_twice_is_sent_once(admin_user):
    mail_queue(template="welcome", to_user=admin_user)
    row = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxStatus.QUEUED)
    kwargs = {**row.kwargs, "outbox_id": row.pk}
    assert send_templated_mail(**kwargs) == admin_user.email
    assert send_templated_mail(**kwargs) == ""
    assert len(mail.outbox) == 1


def test_a_failed_send_backs_off_then_gives_up(admin_user, settings, monkeypatch):
    settings.OUTBOX_MAX_ATTEMPTS = 2

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    mail_queue(template="welcome", to_user=admin_user)
    OutboxMessage.objects.update(status=OutboxStatus.PENDING)
    assert outbox.outbox_dispatch().published == 1
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert "SMTP server refused" in row.last_error
    assert row.next_attempt_at - timezone.now() > dt.timedelta(seconds=20)
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    outbox.outbox_dispatch()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 2)


def test_stale_queued_rows_are_dispatched_again(admin_user):
    mail_queue(template="welcome", to_user=admin_user)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    OutboxMessage.objects.update(status=OutboxStatus.QUEUED, claimed_at=long_ago)
    outbox.outbox_dispatch_due()
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT
    assert len(mail.outbox) == 1


def test_backoff_grows_and_is_capped():
    assert [outbox.backoff_seconds(n) for n in (1, 2, 3)] == [30, 60, 120]
    assert outbox.backoff_seconds(30) == 3600


@pytest.mark.django_db(transaction=True)
def test_two_racing_dispatchers_send_a_row_once(admin_user):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    kwargs = {"template": "welcome", "context": {}, "user_id": admin_user.pk, "email": None, "language": "en"}
    # Written directly: outside a transaction, outbox_add_mail would dispatch at once.
    rows = OutboxMessage.objects.bulk_create(
        [OutboxMessage(kind=OutboxKind.MAIL, task_name=outbox.MAIL_TASK, kwargs=kwargs) for _ in range(20)]
    )
    barrier = threading.Barrier(2)
    reports = []

    def dispatch():
        try:
            barrier.wait()
            reports.append(outbox.outbox_dispatch(ids=[r.pk for r in rows]))
        finally:
            connection.close()

    threads = [threading.Thread(target=in_every_programme(dispatch)) for _ in range(2)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        # Eager tasks in two threads interleave Celery's process-wide "joining would block" flag and can
        # leave it set, which would make later tests' result.get() refuse: put it back.
        _set_task_join_will_block(False)
    assert sum(r.published for r in reports) == 20
    assert len(mail.outbox) == 20
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 20

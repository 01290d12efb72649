"""The transactional outbox: every e-mail and task is a row first, handed to the broker after commit.

A row is written in the transaction of the change that caused it, so a rolled-back change sends
nothing and a committed one cannot lose its mail. After the commit it is dispatched at once; when
the broker does not answer (within about a second) the row stays pending and the beat task
`core.tasks.outbox_dispatch_due` or `manage.py dispatch_outbox` hands it over later.

Exactly once: a dispatcher claims a row with a conditional update (`status = pending` → `queued`),
so of two racing dispatchers one publishes; the mail task claims it again (`queued` → `sending`)
before sending, so a message delivered twice by the broker is sent once.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .enums import OutboxKind, OutboxStatus
from .models import OutboxMessage

logger = logging.getLogger(__name__)

MAIL_TASK = "core.tasks.send_templated_mail"

# After the broker failed to answer, requests stop trying for this long and leave the work to the
# beat task: a request waits at most one connection timeout, not one per message.
_BROKER_QUIET_SECONDS = 30.0
_broker_down_until = 0.0


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError  # noqa: PLC0415 -- the broker client loads only when a task is handed over

    errors: list[type[BaseException]] = [OperationalError, ConnectionError, TimeoutError, OSError]
    try:
        import redis.exceptions  # noqa: PLC0415 -- optional: `make run` has no Redis client

        errors.append(redis.exceptions.ConnectionError)
        errors.append(redis.exceptions.TimeoutError)
    except ImportError:  # pragma: no cover - redis is a requirement
        pass
    return tuple(errors)


def backoff_seconds(attempts: int) -> int:
    """Wait before attempt `attempts + 1` of a message whose delivery failed: 30 s, 1, 2, 4 … min, at most 1 h."""
    return min(30 * 2 ** max(attempts - 1, 0), 3600)


# --- writing rows ----------------------------------------------------------------------------------


def outbox_add_mail(
    *,
    template: str,
    context: dict[str, Any],
    user_id: int | None,
    email: str | None,
    recipient: str,
    language: str,
    cycle_id: int | None = None,
) -> OutboxMessage:
    """Record one e-mail; it is sent after the surrounding transaction commits."""
    message = OutboxMessage.objects.create(
        kind=OutboxKind.MAIL,
        task_name=MAIL_TASK,
        kwargs={"template": template, "context": context, "user_id": user_id, "email": email, "language": language},
        template=template,
        recipient=recipient,
        language=language,
        cycle_id=cycle_id,
        **_fresh_state(),
    )
    _publish_on_commit([message])
    return message


def outbox_add_task(*, task_name: str, kwargs: dict[str, Any], cycle_id: int | None = None) -> OutboxMessage:
    """Record one task (dotted path of a Celery task); it is queued after the transaction commits."""
    return outbox_add_tasks(task_name=task_name, kwargs_list=[kwargs], cycle_id=cycle_id)[0]


def outbox_add_tasks(
    *, task_name: str, kwargs_list: list[dict[str, Any]], cycle_id: int | None = None
) -> list[OutboxMessage]:
    state = _fresh_state()
    messages = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(kind=OutboxKind.TASK, task_name=task_name, kwargs=kw, cycle_id=cycle_id, **state)
            for kw in kwargs_list
        ]
    )
    _publish_on_commit(messages)
    return messages


def _broker_quiet() -> bool:
    return time.monotonic() < _broker_down_until


def _fresh_state() -> dict[str, Any]:
    """A new row is claimed by its own request (`queued`), so publishing after the commit costs no
    further query; while the broker is known to be away it is simply left `pending` for beat."""
    if _broker_quiet():
        return {"status": OutboxStatus.PENDING}
    return {"status": OutboxStatus.QUEUED, "claimed_at": timezone.now()}


def _publish_on_commit(messages: list[OutboxMessage]) -> None:
    claimed = [m for m in messages if m.status == OutboxStatus.QUEUED]
    if claimed:
        # robust: an error while publishing is logged, never turned into an error page after the commit.
        transaction.on_commit(lambda: _publish_claimed(claimed), robust=True)


def dispatch_on_commit(ids: list[int]) -> None:
    """Dispatch these pending rows once the transaction commits (the office's retry)."""
    transaction.on_commit(lambda: outbox_dispatch(ids=ids, after_commit=True), robust=True)


def _publish_claimed(messages: list[OutboxMessage]) -> DispatchReport:
    """Publish rows this process claimed when it wrote them. A row the broker does not take goes back
    to `pending`; after the first broker error the rest go back untried (a request waits once)."""
    global _broker_down_until
    report = DispatchReport()
    broker_errors = _broker_errors()
    for index, message in enumerate(messages):
        if _broker_quiet():
            rest = [m.pk for m in messages[index:]]
            OutboxMessage.objects.filter(pk__in=rest, status=OutboxStatus.QUEUED).update(status=OutboxStatus.PENDING)
            report.skipped += len(rest)
            break
        try:
            _publish(message)
        except broker_errors as exc:
            _broker_down_until = time.monotonic() + _BROKER_QUIET_SECONDS
            _release(message, error=f"broker: {exc}", delay=min(backoff_seconds(message.attempts + 1), 60))
            report.broker_errors += 1
            logger.warning("Outbox: broker unreachable, %s left pending: %s", message, exc)
            continue
        except Exception as exc:  # the task itself raised (it ran in-process, eager mode)
            logger.exception("Outbox: %s failed", message)
            _delivery_failed(message.pk, error=repr(exc), claimed_status=OutboxStatus.QUEUED)
            report.failed += 1
            continue
        _handed_over(message)
        report.published += 1
    return report


def _handed_over(message: OutboxMessage) -> None:
    """A task is done once the broker has it (the task is idempotent); a mail once the worker sent it."""
    if message.kind == OutboxKind.TASK:
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.QUEUED).update(
            status=OutboxStatus.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )


# --- dispatching -----------------------------------------------------------------------------------


@dataclass
class DispatchReport:
    published: int = 0
    skipped: int = 0  # another dispatcher had it, or it was not due
    broker_errors: int = 0
    failed: int = 0  # the task raised while run in-process (eager mode)

    def __str__(self) -> str:
        return (
            f"{self.published} handed over, {self.skipped} skipped, "
            f"{self.broker_errors} broker error(s), {self.failed} failed"
        )


def _claim(pk: int, now: dt.datetime) -> bool:
    return bool(
        OutboxMessage.objects.filter(pk=pk, status=OutboxStatus.PENDING, next_attempt_at__lte=now).update(
            status=OutboxStatus.QUEUED, claimed_at=now
        )
    )


def _publish(message: OutboxMessage) -> None:
    task = import_string(message.task_name)
    kwargs = dict(message.kwargs)
    if message.kind == OutboxKind.MAIL:
        kwargs["outbox_id"] = message.pk
    # retry=False: the outbox retries; a request must not wait on kombu's own publish retries.
    task.apply_async(kwargs=kwargs, retry=False, ignore_result=True)


def outbox_dispatch(*, ids: list[int] | None = None, limit: int = 500, after_commit: bool = False) -> DispatchReport:
    """Hand due pending rows (these `ids`, or the oldest `limit`) to the broker.

    Stops at the first broker error: the broker is away and the rest would wait for nothing.
    `after_commit` is the dispatch right after a request's commit; it is skipped for a short while
    after the broker failed, so a request never waits on an absent broker more than once.
    """
    global _broker_down_until
    report = DispatchReport()
    if after_commit and _broker_quiet():
        report.skipped = len(ids or [])
        return report
    now = timezone.now()
    rows = OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    broker_errors = _broker_errors()
    for message in rows.order_by("created_at", "pk")[:limit]:
        if not _claim(message.pk, now):
            report.skipped += 1
            continue
        try:
            _publish(message)
        except broker_errors as exc:
            _broker_down_until = time.monotonic() + _BROKER_QUIET_SECONDS
            _release(message, error=f"broker: {exc}", delay=min(backoff_seconds(message.attempts + 1), 60))
            report.broker_errors += 1
            logger.warning("Outbox: broker unreachable, %s left pending: %s", message, exc)
            break
        except Exception as exc:  # the task itself raised (it ran in-process, eager mode)
            logger.exception("Outbox: %s failed", message)
            _delivery_failed(message.pk, error=repr(exc), claimed_status=OutboxStatus.QUEUED)
            report.failed += 1
            continue
        _broker_down_until = 0.0
        _handed_over(message)
        report.published += 1
    return report


def _release(message: OutboxMessage, *, error: str, delay: float) -> None:
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.QUEUED).update(
        status=OutboxStatus.PENDING,
        last_error=error[:2000],
        next_attempt_at=timezone.now() + dt.timedelta(seconds=delay),
    )


def _delivery_failed(pk: int, *, error: str, claimed_status: str) -> None:
    """Count a failed delivery: back off, or give up after OUTBOX_MAX_ATTEMPTS."""
    message = OutboxMessage.objects.filter(pk=pk).only("attempts").first()
    if message is None:
        return
    attempts = message.attempts + 1
    gave_up = attempts >= settings.OUTBOX_MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=pk, status=claimed_status).update(
        status=OutboxStatus.FAILED if gave_up else OutboxStatus.PENDING,
        attempts=attempts,
        last_error=error[:2000],
        next_attempt_at=timezone.now() + dt.timedelta(seconds=backoff_seconds(attempts)),
    )


def outbox_requeue_stale(*, now: dt.datetime | None = None) -> int:
    """Rows handed over long ago and never finished (the broker lost them, a worker died): pending again.

    Safe because the mail task claims its row before sending: if the first message turns up after
    all, only one of the two sends.
    """
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.OUTBOX_STALE_SECONDS)
    return OutboxMessage.objects.filter(
        Q(status__in=[OutboxStatus.QUEUED, OutboxStatus.SENDING]), claimed_at__lt=stale
    ).update(status=OutboxStatus.PENDING, next_attempt_at=now, last_error="requeued: not finished in time")


def outbox_dispatch_due() -> DispatchReport:
    """The beat task's and the command's work: requeue stale rows, then dispatch what is due."""
    outbox_requeue_stale()
    return outbox_dispatch()


# --- the mail task's side ----------------------------------------------------------------------------


def outbox_mail_claim(pk: int) -> bool:
    """The worker takes the row before sending; False if it is already sent or being sent."""
    return bool(
        OutboxMessage.objects.filter(pk=pk, status=OutboxStatus.QUEUED).update(
            status=OutboxStatus.SENDING, claimed_at=timezone.now()
        )
    )


def outbox_mail_sent(pk: int) -> None:
    OutboxMessage.objects.filter(pk=pk, status=OutboxStatus.SENDING).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )


def outbox_mail_failed(pk: int, *, error: str) -> None:
    _delivery_failed(pk, error=error, claimed_status=OutboxStatus.SENDING)

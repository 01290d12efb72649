"""Benchmark: mails through the outbox against the same mails through `.delay()` (prints figures).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mqa_bench_outbox BENCH_REDIS_URL=redis://127.0.0.1:6379/10 \
        .venv/bin/python bench/outbox.py [--count 2000]

It creates (or migrates) its own database and empties its Redis database, then, with the broker up:
1. COUNT "requests", each a transaction that queues one e-mail with `.delay()` after commit (what
   the project did before the outbox): time per request;
2. COUNT requests that queue it through `mail_queue` (an outbox row in the transaction, dispatched
   after commit): time per request; the difference of the medians is what the outbox adds;
3. one worker process (concurrency 1) sends the COUNT outbox mails: time until every row is sent
   (dispatch throughput), and the rows sent more than once (must be 0).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from core.scopes import in_every_programme  # noqa: E402

DB_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mqa_bench_outbox")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.local",
    "DATABASE_URL": DB_URL,
    "REDIS_URL": REDIS_URL,
    "CELERY_TASK_ALWAYS_EAGER": "false",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)


def ensure_database() -> None:
    import psycopg2

    name = DB_URL.rsplit("/", 1)[1]
    conn = psycopg2.connect(DB_URL.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[int(len(values) * 0.95) - 1]
    return f"median {statistics.median(values) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


@in_every_programme  # the bench builds and reads data itself; its requests run in their users' scope
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    ensure_database()

    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.db import transaction

    from core.enums import OutboxStatus
    from core.mail import mail_queue
    from core.models import OutboxMessage, User
    from core.outbox import outbox_dispatch
    from core.tasks import send_templated_mail

    call_command("migrate", verbosity=0)
    redis.Redis.from_url(REDIS_URL).flushdb()
    OutboxMessage.objects.all().delete()
    user, _ = User.objects.get_or_create(email="bench@example.org", defaults={"full_name": "Bench"})

    def request_delay():
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(full_name="Bench")  # the change the request makes
            kwargs = {"template": "welcome", "context": {}, "user_id": user.pk, "email": None, "language": "en"}
            transaction.on_commit(lambda: send_templated_mail.delay(**kwargs))

    def request_outbox():
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(full_name="Bench")
            mail_queue(template="welcome", to_user=user, language="en")

    for fn in (request_delay, request_outbox):  # warm up connections and imports
        fn()
    redis.Redis.from_url(REDIS_URL).flushdb()
    OutboxMessage.objects.all().delete()

    # Alternate the two kinds of request so that the machine's load hits both alike.
    timings = {"delay": [], "outbox": []}
    for _ in range(args.count):
        for name, fn in (("delay", request_delay), ("outbox", request_outbox)):
            started = time.perf_counter()
            fn()
            timings[name].append(time.perf_counter() - started)
    for name, values in timings.items():
        print(f"{name:>6}: {args.count} requests, {ms(values)}")
    added = statistics.median(timings["outbox"]) - statistics.median(timings["delay"])
    print(f"added by the outbox: {added * 1000:.2f} ms per request (median)")

    # Throughput: empty the queue (both kinds of message are in it), make every outbox row pending
    # again, start one worker and dispatch them as beat would.
    redis.Redis.from_url(REDIS_URL).flushdb()
    OutboxMessage.objects.update(status=OutboxStatus.PENDING, claimed_at=None, attempts=0, sent_at=None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "1", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env={**os.environ}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(5)  # let the worker boot; the messages would wait in Redis for it anyway
        started = time.monotonic()
        while OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists():
            outbox_dispatch(limit=500)
        dispatched = time.monotonic() - started
        print(f"dispatch: {args.count} rows handed to the broker in {dispatched:.1f} s")
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            if OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == args.count:
                break
            time.sleep(0.1)
        elapsed = time.monotonic() - started
        sent = OutboxMessage.objects.filter(status=OutboxStatus.SENT).count()
        twice = OutboxMessage.objects.filter(attempts__gt=1).count()
        rate = sent / max(elapsed, 1e-9)
        print(f"one worker: {sent} mails sent in {elapsed:.1f} s ({rate:.0f} mails/s); sent twice: {twice}")
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()

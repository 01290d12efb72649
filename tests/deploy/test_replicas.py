"""Two web replicas behind a load balancer: a visitor's journey alternates between them, one replica
is stopped gracefully and the other killed in the middle, and nothing but the requests in flight at
those moments fails; every upload that was acknowledged can be downloaded afterwards, byte for byte.

Runs in `make test` (marker `replicas`). Needs haproxy (scripts/system-deps.sh test), gunicorn,
PostgreSQL and Redis: with CI=true a missing one fails the test, elsewhere it is skipped.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from awards.demo import minimal_pdf
from awards.enums import AttachmentKind
from awards.models import ApplicationAttachment as Attachment
from config.netcheck import url_reachable
from tests.factories.awards import ApplicationFactory, CycleFactory
from tests.factories.core import UserFactory
from tests.factories.enterprises import EnterpriseFactory, MembershipFactory
from tests.worker import _database_url

from .replicas import Balancer, Browser, Replica, haproxy_binary, need

pytestmark = [pytest.mark.replicas, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-horse-42"  # tests/factories/core.py
VERIFY_LIMIT = 5  # per address per minute, for this run (CERTIFICATE_VERIFY_RATE_LIMIT)

DRAIN_SECONDS = 3


@pytest.fixture
def stack(tmp_path):
    """haproxy in front of replicas `a` and `b`; every process is stopped at the end, whatever happens."""
    need(haproxy_binary() is not None, "haproxy is not installed (scripts/system-deps.sh test)")
    need(importlib.util.find_spec("gunicorn") is not None, "gunicorn is not installed (requirements.txt)")
    need(connection.vendor == "postgresql", "the replicas share the test database only on PostgreSQL")
    need(url_reachable(settings.TEST_REDIS_URL, 6379), "Redis is not reachable for the replicas' cache")
    workdir = tempfile.mkdtemp(prefix="mqa-replicas-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        # One media folder for both (same machine); on two machines MEDIA_STORAGE=s3 or a shared volume.
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "TEST_MEDIA_ROOT": settings.MEDIA_ROOT,
        "TEST_REDIS_URL": settings.TEST_REDIS_URL,
        "TEST_CACHE_URL": settings.TEST_REDIS_URL,
        "TEST_CACHE_PREFIX": f"replicas-{uuid.uuid4().hex[:12]}",
        "RATELIMIT_STORE": "redis",
        "CERTIFICATE_VERIFY_RATE_LIMIT": str(VERIFY_LIMIT),
        "TRUSTED_PROXY_COUNT": "1",  # haproxy appends the client's address to X-Forwarded-For
        "MFA_REQUIRED": "false",
        # A stopping replica drains for longer than haproxy takes to mark it down (3 checks 500 ms
        # apart): nothing is sent to it when it stops listening (config/gunicorn_conf.py).
        "GUNICORN_DRAIN_SECONDS": str(DRAIN_SECONDS),
    }
    replicas = [Replica("a", env, workdir), Replica("b", env, workdir)]
    balancer = Balancer(replicas, workdir)
    try:
        try:
            for replica in replicas:
                replica.start()
            balancer.start()
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield balancer, replicas
    finally:
        balancer.stop()
        for replica in replicas:
            replica.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def draft(db):
    cycle = CycleFactory()
    enterprise = EnterpriseFactory()
    user = MembershipFactory(
        enterprise=enterprise,
        user=UserFactory(email=f"{uuid.uuid4().hex[:8]}@alpha.example.cn", preferred_language="en"),
    ).user
    return ApplicationFactory(cycle=cycle, enterprise=enterprise), user


def upload(browser: Browser, application_id: int, content: bytes, name: str, page):
    path = reverse("awards:attachments", kwargs={"pk": application_id})
    return browser.post(
        path,
        {"kind": AttachmentKind.OTHER.value, "description": "patent certificate"},
        token_from=page,
        files={"file": (name, content, "application/pdf")},
    )


def test_a_journey_across_two_replicas_survives_one_stopped_and_one_killed(stack, draft):
    balancer, (a, b) = stack
    application, user = draft
    attachments_path = reverse("awards:attachments", kwargs={"pk": application.pk})
    started = time.monotonic()

    # --- 1. the journey, each request on the replica after the previous one's -----------------------------
    browser = Browser(balancer.url)
    page, done = browser.log_in(user.email, PASSWORD)
    assert page.status == 200 and done.status == 302, done.text[:500]
    assert {page.replica, done.replica} == {"a", "b"}  # the log-in form from one, the session from the other
    dashboard = browser.get(reverse("core:dashboard"))
    assert dashboard.status == 200 and user.full_name in dashboard.text  # signed in there too
    form = browser.get(attachments_path)
    assert form.status == 200 and form.replica != dashboard.replica

    content = minimal_pdf(f"evidence {uuid.uuid4()}")
    sent = upload(browser, application.pk, content, "patent.pdf", form)
    assert sent.status == 302, sent.text[:500]
    shown = browser.get(attachments_path)  # the flash message set by the upload's replica, shown by the other
    assert shown.replica != sent.replica
    assert shown.status == 200 and "“patent.pdf” uploaded." in shown.text
    stored = Attachment.objects.get(application=application, original_name="patent.pdf")
    download_path = reverse("awards:attachment", kwargs={"pk": application.pk, "attachment_id": stored.pk})
    fetched = [browser.get(download_path), browser.get(download_path)]
    assert [f.status for f in fetched] == [200, 200] and {f.replica for f in fetched} == {"a", "b"}
    assert all(f.body == content for f in fetched)

    # The verification look-up allows VERIFY_LIMIT a minute per address, counted across both replicas.
    verify_path = reverse("certificates:verify", kwargs={"code": "NoSuchCertificateCode123"})
    answers = [browser.get(verify_path) for _ in range(VERIFY_LIMIT + 3)]
    assert [x.status for x in answers] == [404] * VERIFY_LIMIT + [429] * 3
    assert {x.replica for x in answers} == {"a", "b"}
    journey_seconds = time.monotonic() - started

    # --- 2. visitors keep going while replica a is stopped (SIGTERM), restarted, and b is killed (SIGKILL) --
    load = Load(balancer.url, user.email, application.pk)
    try:
        load.start(visitors=3)
        time.sleep(1.5)
        t_term = time.monotonic()
        a.terminate()
        time.sleep(1.5)
        a.start()
        time.sleep(1.5)  # haproxy's check (every 500 ms) sees it up again
        t_kill = time.monotonic()
        b.kill()
        t_killed = time.monotonic()  # the whole process group gone
        time.sleep(2.0)
    finally:
        load.stop()
    outage_seconds = time.monotonic() - t_term

    # In flight: held by a replica when it was stopped, or sent while b was being killed (SIGKILL to
    # its group until the last worker is gone: a request haproxy handed to a dying worker then is
    # lost with it; a POST is never sent twice). SIGTERM's stop is a moment: it must lose nothing.
    stops = [(t_term, t_term), (t_kill, t_killed)]
    failures = [r for r in load.records if not r.ok]
    in_flight = [r for r in failures if any(r.start <= end and start <= r.end for start, end in stops)]
    by_replica = {name: sum(1 for r in load.records if r.replica == name) for name in "ab"}
    print(
        f"\nreplicas: journey {journey_seconds:.1f}s; under load {len(load.records)} requests "
        f"(a {by_replica['a']}, b {by_replica['b']}), {len(failures)} failed, {len(in_flight)} of them in flight "
        f"at a stop; {len(load.uploads)} uploads acknowledged; access logs a {a.served()}, b {b.served()}; "
        f"stops and restart took {outage_seconds:.1f}s"
    )
    assert failures == in_flight, (
        [
            (r.method, r.path, r.status, r.error, r.start - t_term, r.end - t_term)
            for r in failures
            if r not in in_flight
        ],
        t_kill - t_term,
        balancer.failed_lines(),
    )
    assert by_replica["a"] and by_replica["b"]
    after_restart = [r for r in load.records if r.replica == "a" and r.start > t_kill]
    assert after_restart, "the restarted replica a took over after b was killed"
    assert a.served() and b.served()
    assert not a.errors() and not b.errors()

    # --- 3. no acknowledged upload is lost: each is stored and downloads with its bytes -----------------------
    assert load.uploads, "uploads were acknowledged during the stops"
    checker = Browser(balancer.url)
    checker.log_in(user.email, PASSWORD)
    for name, data in load.uploads.items():
        attachment = Attachment.objects.get(application=application, original_name=name, removed_at__isnull=True)
        got = checker.get(reverse("awards:attachment", kwargs={"pk": application.pk, "attachment_id": attachment.pk}))
        assert got.status == 200 and got.body == data, name


@dataclass
class Record:
    method: str
    path: str
    start: float
    end: float
    status: int | None
    replica: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400


class Load:
    """Visitors in threads, each signed in with its own session: pages, uploads and downloads in a loop."""

    def __init__(self, base: str, email: str, application_id: int):
        self.base, self.email, self.application_id = base, email, application_id
        self.records: list[Record] = []
        self.uploads: dict[str, bytes] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self, visitors: int) -> None:
        for n in range(visitors):
            browser = Browser(self.base)
            browser.log_in(self.email, PASSWORD)
            thread = threading.Thread(target=self._visit, args=(browser, n), daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=90)

    def _call(self, method: str, path: str, fn) -> object:
        start = time.monotonic()
        try:
            answer = fn()
        except Exception as exc:  # a connection reset or refused: a failed request, recorded
            self._record(Record(method, path, start, time.monotonic(), None, "", repr(exc)))
            return None
        self._record(Record(method, path, start, time.monotonic(), answer.status, answer.replica))
        return answer

    def _record(self, record: Record) -> None:
        with self.lock:
            self.records.append(record)

    def _visit(self, browser: Browser, n: int) -> None:
        path = reverse("awards:attachments", kwargs={"pk": self.application_id})
        i = 0
        while not self.stopping.is_set():
            i += 1
            page = self._call("GET", path, lambda: browser.get(path))
            self._call("GET", "/", lambda: browser.get("/"))
            if page is None or page.status != 200:
                continue
            if i % 3 == 0:
                name, content = f"load-{n}-{i}.pdf", minimal_pdf(f"load {n} {i} {uuid.uuid4()}")
                sent = self._call("POST", path, lambda: upload(browser, self.application_id, content, name, page))  # noqa: B023
                if sent is not None and sent.status == 302:
                    with self.lock:
                        self.uploads[name] = content

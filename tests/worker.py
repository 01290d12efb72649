"""A real Celery worker process on Redis, against the test database (for transactional tests)."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from config.netcheck import url_reachable

CI = os.environ.get("CI") == "true"


def require_redis():
    if not url_reachable(settings.CELERY_BROKER_URL, 6379):
        if CI:
            pytest.fail("CI=true but Redis is not reachable for the worker tests")
        pytest.skip("Redis is not reachable")
    if connection.vendor != "postgresql":
        if CI:
            pytest.fail("CI=true but the tests are not running on PostgreSQL")
        pytest.skip("a worker process shares the test database only on PostgreSQL")


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class WorkerProcess:
    def __init__(self, concurrency: int = 1, queue: str = "celery", env: dict[str, str] | None = None):
        self.concurrency = concurrency
        self.queue = queue
        self.extra_env = env or {}
        self.proc: subprocess.Popen | None = None
        self.log_path = f"/tmp/mqa-test-worker-{os.getpid()}-{time.time_ns()}.log"

    def start(self) -> "WorkerProcess":
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(),
            "MEDIA_ROOT": settings.MEDIA_ROOT,
            "TEST_MEDIA_ROOT": settings.MEDIA_ROOT,
            "MQA_TEST_WORKER": "1",
            "TEST_REDIS_URL": settings.CELERY_BROKER_URL,
            **self.extra_env,
        }
        self.log = open(self.log_path, "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                str(self.concurrency),
                "--pool",
                "prefork",
                "-Q",
                self.queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{time.time_ns()}@%h",
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def stop(self, sig: int | None = None):
        import signal

        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig or signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        if getattr(self, "log", None):
            self.log.close()

    def output(self) -> str:
        with open(self.log_path) as f:
            return f.read()


def purge_broker():
    import redis

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


@pytest.fixture
def celery_worker_process(transactional_db):
    """Start a worker; tasks sent in the test go through Redis to it."""
    from config.celery import app

    require_redis()
    purge_broker()
    app.conf.task_always_eager = False
    worker = WorkerProcess().start()
    try:
        yield worker
    finally:
        worker.stop()
        app.conf.task_always_eager = True

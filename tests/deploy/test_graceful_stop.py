"""A replica that gets SIGTERM finishes the request it holds and refuses new connections at once
(config/gunicorn_conf.py), so a balancer sends them to another replica instead of losing them."""

from __future__ import annotations

import importlib.util
import os
import socket
import tempfile
import time

import pytest
from django.conf import settings
from django.db import connection

from tests.worker import _database_url

from .replicas import Replica, need

pytestmark = [pytest.mark.replicas, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=[0], ids=["no drain"])
def replica(request):
    need(importlib.util.find_spec("gunicorn") is not None, "gunicorn is not installed (requirements.txt)")
    need(connection.vendor == "postgresql", "a replica shares the test database only on PostgreSQL")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "TEST_MEDIA_ROOT": settings.MEDIA_ROOT,
        "GUNICORN_DRAIN_SECONDS": str(request.param),
    }
    one = Replica("solo", env, tempfile.mkdtemp(prefix="mqa-replica-"), workers=1)
    try:
        one.start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield one
    finally:
        one.stop()


def test_a_stopping_replica_finishes_its_request_and_refuses_new_connections(replica):
    held = socket.create_connection(("127.0.0.1", replica.port), timeout=10)
    held.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # the only worker waits for the rest
    time.sleep(0.5)
    replica.proc.send_signal(15)  # SIGTERM
    time.sleep(0.5)

    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", replica.port), timeout=2).close()
    assert replica.proc.poll() is None  # still finishing the request it holds

    held.sendall(b"Connection: close\r\n\r\n")
    answer = b""
    while chunk := held.recv(65536):
        answer += chunk
    held.close()
    assert answer.startswith(b"HTTP/1.1 200 ") and b'"status": "ok"' in answer
    replica.proc.wait(timeout=20)
    assert replica.proc.returncode == 0
    assert not replica.errors()


def _get(port: int, path: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1]), answer


@pytest.mark.parametrize("replica", [3], ids=["drains 3 s"], indirect=True)
def test_a_draining_replica_fails_its_health_check_and_serves_on_then_stops_listening(replica):
    assert _get(replica.port, "/healthz")[0] == 200
    replica.proc.send_signal(15)  # SIGTERM
    time.sleep(0.5)
    status, answer = _get(replica.port, "/healthz")
    assert status == 503 and b'"draining"' in answer  # the balancer's check takes it out
    assert _get(replica.port, "/programmes/")[0] == 200  # what is still sent to it is served
    assert replica.proc.poll() is None
    time.sleep(3.5)  # the drain is over: it stops listening, and exits once idle
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", replica.port), timeout=2).close()
    replica.proc.wait(timeout=20)
    assert replica.proc.returncode == 0
    assert not replica.errors()

"""Two gunicorn web replicas behind haproxy, against the test database (tests/deploy/test_replicas.py).

Each replica is a real gunicorn master with its workers, started like tests/worker.py starts a Celery
worker: the test settings, the test run's PostgreSQL database and media folder, and the cache and rate
limits in Redis (TEST_CACHE_URL) as in production. haproxy balances them round-robin, names the replica
that answered in an `X-Replica` header, and retries a request whose connection failed on the other one.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CI = os.environ.get("CI") == "true"
ROOT = Path(__file__).resolve().parents[2]


def need(condition: bool, reason: str) -> None:
    """In CI a missing piece fails the test; elsewhere it is skipped with the reason."""
    if condition:
        return
    if CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, *, timeout: float, proc: subprocess.Popen | None = None, headers: dict | None = None) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return True
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    return False


class Replica:
    """One gunicorn master (its own process group) on its own port, logging each request it answers."""

    def __init__(self, name: str, env: dict[str, str], workdir: str, workers: int = 2):
        self.name = name
        self.port = free_port()
        self.env = env
        self.workers = workers
        self.access_log = os.path.join(workdir, f"access-{name}.log")
        self.error_log = os.path.join(workdir, f"error-{name}.log")
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self, timeout: float = 60) -> None:
        self.starts += 1
        with open(self.error_log, "a") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--config",
                    str(ROOT / "config" / "gunicorn_conf.py"),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(self.workers),
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "20",
                    "--access-logfile",
                    self.access_log,
                    "--access-logformat",
                    "%(m)s %(U)s %(s)s",
                    "--error-logfile",
                    "-",
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=ROOT,
            )
        if not wait_for(f"http://127.0.0.1:{self.port}/healthz", timeout=timeout, proc=self.proc):
            self.kill()
            raise RuntimeError(f"gunicorn replica {self.name} did not start:\n{self.log_tail()}")

    def terminate(self, timeout: float = 30) -> None:
        """SIGTERM to the master: it stops accepting, its workers finish the requests they hold."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=timeout)

    def kill(self) -> None:
        """SIGKILL to the whole process group (master and workers), as when the machine goes away."""
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
            # The workers go a moment after the master: the replica is gone once the group is.
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                try:
                    os.killpg(self.proc.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.01)

    def stop(self) -> None:
        """Clean-up: graceful first, then by force; no worker of the group is left behind."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.terminate(timeout=15)
        self.kill()
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)

    def served(self) -> int:
        """Requests this replica answered (its access log, health checks left out)."""
        if not os.path.exists(self.access_log):
            return 0
        with open(self.access_log) as f:
            return sum(1 for line in f if "/healthz" not in line)

    def errors(self) -> str:
        """Tracebacks in the replica's log (none expected, also while it stops)."""
        with open(self.error_log) as f:
            text = f.read()
        return text if "Traceback" in text else ""

    def log_tail(self, lines: int = 40) -> str:
        with open(self.error_log) as f:
            return "".join(f.readlines()[-lines:])


HAPROXY_CONFIG = """\
global
    maxconn 512
    log stdout format raw local0

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # A request whose connection failed (replica stopped or gone) is sent again, to the other replica.
    retries 3
    option redispatch 1
    # GET and HEAD are also retried when the replica closed the connection without an answer (killed
    # while holding it); any other method is never sent twice once a replica may have received it.
    retry-on conn-failure empty-response
    option forwardfor

frontend web
    bind 127.0.0.1:{port}
    default_backend replicas

backend replicas
    balance roundrobin
    http-request disable-l7-retry if !METH_GET
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    http-response set-header X-Replica %[srv_name]
    # A check every 500 ms; a replica is out after 3 failed in a row (each may take 2 s on a busy machine).
    timeout check 2s
    default-server check inter 500ms fall 3 rise 1
{servers}
"""


class Balancer:
    def __init__(self, replicas: list[Replica], workdir: str):
        self.port = free_port()
        self.config = os.path.join(workdir, "haproxy.cfg")
        self.log = os.path.join(workdir, "haproxy.log")
        servers = "\n".join(f"    server {r.name} 127.0.0.1:{r.port}" for r in replicas)
        with open(self.config, "w") as f:
            f.write(HAPROXY_CONFIG.format(port=self.port, servers=servers))
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                [binary, "-db", "-f", self.config], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        if not wait_for(f"{self.url}/healthz", timeout=20, proc=self.proc):
            self.stop()
            with open(self.log) as f:
                raise RuntimeError(f"haproxy did not start:\n{f.read()}")

    def failed_lines(self) -> str:
        """haproxy's log lines of requests answered with a 5xx (its own 502/503 when no replica answered)."""
        with open(self.log) as f:
            return "".join(line for line in f if re.search(r'" ?\S* ?5\d\d \d+ |\s5\d\d\s', line))

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def haproxy_binary() -> str | None:
    return shutil.which("haproxy") or (os.path.exists("/usr/sbin/haproxy") and "/usr/sbin/haproxy") or None


# --- a browser-like client: cookies, CSRF, no redirect following --------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    replica: str
    body: bytes
    headers: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One visitor: a cookie jar shared by all its requests, whichever replica answers them."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, method: str, path: str, *, data: bytes | None = None, content_type: str | None = None) -> Answer:
        headers = {"Accept-Language": "en"}
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=60) as r:
                return Answer(r.status, r.headers.get("X-Replica", ""), r.read(), dict(r.headers))
        except urllib.error.HTTPError as e:
            return Answer(e.code, e.headers.get("X-Replica", ""), e.read(), dict(e.headers))

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def csrf_from(self, answer: Answer) -> str:
        match = CSRF_INPUT.search(answer.text)
        assert match, f"no CSRF token in the page ({answer.status})"
        return match.group(1)

    def post(self, path: str, fields: dict, *, token_from: Answer, files: dict | None = None) -> Answer:
        from urllib3 import encode_multipart_formdata

        body = {"csrfmiddlewaretoken": self.csrf_from(token_from), **fields, **(files or {})}
        data, content_type = encode_multipart_formdata(body)
        return self.request("POST", path, data=data, content_type=content_type)

    def log_in(self, email: str, password: str) -> list[Answer]:
        page = self.get("/accounts/login/")
        done = self.post("/accounts/login/", {"username": email, "password": password}, token_from=page)
        return [page, done]

"""Benchmark: 20 concurrent users through gunicorn against a bare Django view (not a test; prints figures).

Builds the 2,000-application cycle of bench/pages.py (5 experts per panel who submitted all 23 items,
8 awarded applications with certificates, a public notice, a meeting) in a throw-away PostgreSQL
database, starts gunicorn (2 sync workers) on a free local port serving the site plus one bare view
(bench/concurrency_site.py: one query, a plain template, the same middleware), and drives 20
concurrent clients (threads, http.client, one connection per request as gunicorn's sync workers
close them) at each page in turn, logged in as the persona the page is for (a session made with
Django's test client):

- ranking (secretary), winners (anonymous), certificate verification (anonymous; the rate limit is
  raised with CERTIFICATE_VERIFY_RATE_LIMIT for the run), scoring sheet (the assigned expert);
- right after each page, the bare view asked for the same number of bytes, under the same load.

Prints p50 and p95 of each page and of its bare twin and the ratio p95 / bare p95 (target ≤ 2), and
before the load the median of 20 requests one at a time of each.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mqa_bench_conc .venv/bin/python bench/concurrency.py

BENCH_BIG sets the number of applications (2000), BENCH_CLIENTS the concurrent users (20),
BENCH_REQUESTS the requests each user sends per page (10), BENCH_PAGES the pages to drive (a comma-separated
subset of "ranking,winners,verification,sheet"; all of them by default). The server keeps its PostgreSQL connections
for 60 s as production does (bench/concurrency_site.py); BENCH_CONN_MAX_AGE=0 opens one per request.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mqa_bench_conc")
os.environ.setdefault("AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402
from pages import POOL, decorate  # noqa: E402
from review_ranking import build  # noqa: E402

from core.scopes import in_every_programme  # noqa: E402

N = int(os.environ.get("BENCH_BIG", "2000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "10"))
PAGES = os.environ.get("BENCH_PAGES", "")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, url: str, cookie: str | None) -> tuple[int, int, float]:
    """One request on a fresh connection: status, body bytes, seconds until the body is read."""
    headers = {"Host": "127.0.0.1", "Accept-Language": "zh-hans"}
    if cookie:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("GET", url, headers=headers)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, len(body), time.perf_counter() - t0


def load(port: int, url: str, cookie: str | None) -> list[float]:
    """CLIENTS threads, each sending REQUESTS requests one after the other; every latency."""
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def user():
        start.wait()
        for _ in range(REQUESTS):
            status, _size, seconds = get(port, url, cookie)
            with lock:
                if status == 200:
                    times.append(seconds)
                else:
                    errors.append(f"{url}: {status}")

    threads = [threading.Thread(target=user) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, first: {errors[0]}")
    return times


def p(times: list[float], q: int) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[q - 1] * 1000


def bare_rows(port: int, size: int) -> int:
    """The number of rows that makes the bare view about `size` bytes."""
    _s, empty, _t = get(port, "/bench/bare/?rows=0", None)
    _s, hundred, _t = get(port, "/bench/bare/?rows=100", None)
    return max(1, round((size - empty) * 100 / (hundred - empty)))


def start_gunicorn(port: int) -> subprocess.Popen:
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        CERTIFICATE_VERIFY_RATE_LIMIT="100000000",
        AXES_ENABLED="false",
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),  # the interpreter's own environment
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            f"--chdir={ROOT}",
            f"--pythonpath={ROOT / 'bench'}",
            "--timeout=300",
            "--log-level=warning",
            "concurrency_site:application",
        ],
        env=env,
    )
    for _ in range(300):
        try:
            if get(port, "/bench/bare/?rows=1", None)[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


@in_every_programme  # the bench builds and reads data itself; its requests run in their users' scope
def main():
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    server = None
    try:
        from awards.enums import CycleRole
        from awards.models import CycleMembership
        from certificates.models import Certificate
        from core.models import User
        from reviews.models import Assignment

        secretary = User.objects.create_user(email="bench-sec@example.cn", password="x")
        experts = User.objects.bulk_create(
            [User(email=f"bench-expert{i}@example.cn", full_name=f"Expert {i}") for i in range(POOL)]
        )
        members = User.objects.bulk_create([User(email=f"bench-cm{i}@example.cn") for i in range(7)])
        t0 = time.perf_counter()
        cycle = build(1, N, experts, secretary)
        CycleMembership.objects.bulk_create(
            [CycleMembership(cycle=cycle, user=m, role=CycleRole.COMMITTEE) for m in members]
        )
        decorate(cycle, secretary)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"built {N} applications in {time.perf_counter() - t0:.1f} s", flush=True)

        def session(user):
            client = Client()
            client.force_login(user)
            return client.cookies[settings.SESSION_COOKIE_NAME].value

        assignment = Assignment.objects.filter(panel__round__cycle=cycle).order_by("pk").first()
        certificate = Certificate.objects.filter(cycle=cycle).order_by("pk").first()
        targets = [
            ("ranking", reverse("reviews:ranking", args=[cycle.pk]), session(secretary)),
            ("winners", reverse("committee:winners"), None),
            ("verification", reverse("certificates:verify", args=[certificate.verification_code]), None),
            ("scoring sheet", reverse("reviews:sheet", args=[assignment.pk]), session(assignment.expert)),
        ]
        if PAGES:
            wanted = {w.strip() for w in PAGES.split(",")}
            targets = [t for t in targets if t[0].split()[-1] in wanted]
        connection.close()  # gunicorn's workers hold their own connections

        port = free_port()
        server = start_gunicorn(port)
        print(
            f"gunicorn (2 workers) on port {port}; {CLIENTS} concurrent users × {REQUESTS} requests per page; "
            f"load average before {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        results = []
        for label, url, cookie in targets:
            for _ in range(2):  # warm up: templates, caches, connections of both workers
                status, size, _t = get(port, url, cookie)
                if status != 200:
                    raise SystemExit(f"{label} {url}: {status}")
            bare_url = f"/bench/bare/?rows={bare_rows(port, size)}"
            bare_size = get(port, bare_url, None)[1]
            sequential = [
                statistics.median(get(port, u, c)[2] for _ in range(20)) * 1000
                for u, c in ((url, cookie), (bare_url, None))
            ]
            print(
                f"{label:14} one request at a time (median of 20): {sequential[0]:.1f} ms, bare {sequential[1]:.1f} ms"
            )
            page_times = load(port, url, cookie)
            bare_times = load(port, bare_url, None)
            row = (label, size, bare_size, page_times, bare_times)
            results.append(row)
            print(
                f"{label:14} p50 {p(page_times, 50):8.1f} ms  p95 {p(page_times, 95):8.1f} ms  "
                f"bare p50 {p(bare_times, 50):7.1f} ms  p95 {p(bare_times, 95):7.1f} ms",
                flush=True,
            )
        print(f"load average after {os.getloadavg()[0]:.2f}")
        print()
        print(
            f"{'page':16}{'KB':>7}{'bare KB':>9}{'p50 ms':>10}{'p95 ms':>10}{'bare p50':>10}{'bare p95':>10}"
            f"{'p95 ratio':>11}  target ≤ 2"
        )
        for label, size, bare_size, page_times, bare_times in results:
            ratio = p(page_times, 95) / p(bare_times, 95)
            print(
                f"{label:16}{size / 1024:7.1f}{bare_size / 1024:9.1f}{p(page_times, 50):10.1f}{p(page_times, 95):10.1f}"
                f"{p(bare_times, 50):10.1f}{p(bare_times, 95):10.1f}{ratio:11.2f}  {'met' if ratio <= 2 else 'MISSED'}"
            )
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        connection.close()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()

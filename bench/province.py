"""Benchmark: one deployment for a province (issue 18; not a test, prints figures).

Builds, in a throw-away PostgreSQL database, programme 1 (its own office, a cycle of BENCH_PER
applications in review, 5 experts per panel who scored all 23 items, 8 winners with certificates, a
public notice and a meeting: bench/review_ranking.py and bench/pages.py build them) and measures
its office queue, ranking, winners page and certificate verification page as their users see them.
Then it adds BENCH_PROGRAMMES - 1 more programmes of the same size, each with its own office and
cycle, and measures the same pages of programme 1 again: with 14 programmes they should cost what
they cost with one (time within 10 %, the same queries), since nobody on those pages sees the other
programmes' rows.

Then, with every programme in place, two gunicorn replicas (bench/concurrency_site.py: the site plus
a bare Django view of one query; cache and rate limits in Redis) behind haproxy take BENCH_CLIENTS
concurrent users on each page and on the bare view of the same size: p50 / p95 of each and the ratio
p95 / bare p95 (target ≤ 2).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mqa_bench_province .venv/bin/python bench/province.py

BENCH_PROGRAMMES (14), BENCH_PER (300) applications per programme, BENCH_CLIENTS (20),
BENCH_REQUESTS (10) requests per user per page in each of BENCH_ROUNDS (3) turns of page and bare
view; BENCH_LOAD=0 leaves out the concurrent part. The replicas keep their cache and rate limits in
Redis as production does (BENCH_CACHE_URL, redis://127.0.0.1:6379/12).
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mqa_bench_province")
os.environ.setdefault("AXES_ENABLED", "false")
os.environ.setdefault("CERTIFICATE_VERIFY_RATE_LIMIT", "100000000")  # measured, not limited

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402

from core.scopes import in_every_programme  # noqa: E402

PROGRAMMES = int(os.environ.get("BENCH_PROGRAMMES", "14"))
PER = int(os.environ.get("BENCH_PER", "300"))
LOAD = os.environ.get("BENCH_LOAD", "1") != "0"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def programme(i: int):
    from awards.models import AwardProgramme

    return AwardProgramme.objects.create(
        slug=f"bench-{i:02d}",
        name_zh=f"基准{i}市市长质量奖",
        name_en=f"Bench City {i} Mayor Quality Award",
        organiser_zh=f"基准{i}市人民政府",
        organiser_en=f"Bench City {i} People's Government",
        divisions=["4310"],
        seal_text=f"基准{i}市人民政府",
        signature_zh=f"基准{i}市人民政府",
        signature_en=f"Bench City {i} People's Government",
        receipt_prefix=f"BQ{i:02d}",
        certificate_prefix=f"BC{i:02d}",
    )


def add_programme(i: int, experts):
    """Programme i with its own secretary and a cycle of PER applications; the pages of its office."""
    from pages import decorate
    from review_ranking import build

    from core.models import User

    secretary = User.objects.create_user(email=f"bench-office{i}@example.cn", password="x")
    prog = programme(i)
    cycle = build(i, PER, experts, secretary, programme=prog)
    decorate(cycle, secretary)
    return prog, cycle, secretary


def targets(prog, cycle, secretary):
    from certificates.models import Certificate

    certificate = Certificate.objects.filter(cycle=cycle).order_by("pk").first()
    return [
        ("office queue", secretary, reverse("awards:queue") + f"?cycle={cycle.pk}"),
        ("ranking", secretary, reverse("reviews:ranking", args=[cycle.pk])),
        ("winners", None, reverse("programme:winners", args=[prog.slug])),
        ("verification", None, reverse("certificates:verify", args=[certificate.verification_code])),
    ]


def measure(pages) -> list[dict]:
    """Queries and server time of each page: the lowest of three medians of 15 requests (after 3
    warm-ups), so that a moment of load on a shared machine does not decide the ratio."""
    from django.test.utils import CaptureQueriesContext

    out = []
    for label, user, url in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
        for _ in range(3):
            assert client.get(url).status_code == 200, (label, url)
        medians, sql = [], []
        for n in range(45):
            if not n % 15:
                times: list[float] = []
                medians.append(times)
            with CaptureQueriesContext(connection) as q:
                t0 = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - t0)
            sql.append(sum(float(x["time"]) for x in q.captured_queries))
        assert response.status_code == 200
        out.append(
            {
                "label": label,
                "queries": len(q),
                "ms": min(statistics.median(t) for t in medians) * 1000,
                "sql": statistics.median(sql) * 1000,
            }
        )
    return out


def start_balancer(ports: list[int], workdir: str):
    from concurrency import free_port, get

    from tests.deploy.replicas import HAPROXY_CONFIG

    binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
    port = free_port()
    config = os.path.join(workdir, "haproxy.cfg")
    servers = "\n".join(f"    server r{n} 127.0.0.1:{p}" for n, p in enumerate(ports))
    with open(config, "w") as f:
        f.write(HAPROXY_CONFIG.format(port=port, servers=servers))
    log = open(os.path.join(workdir, "haproxy.log"), "w")  # noqa: SIM115 -- open while haproxy runs
    proc = subprocess.Popen([binary, "-db", "-f", config], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            if get(port, "/bench/bare/?rows=1", None)[0] == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("haproxy did not answer")


def under_load(pages) -> None:
    import concurrency
    from concurrency import bare_rows, free_port, get, load, p, start_gunicorn

    concurrency.CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
    concurrency.REQUESTS = int(os.environ.get("BENCH_REQUESTS", "10"))

    def session(user):
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    cookies = [(label, url, session(user) if user else None) for label, user, url in pages]
    connection.close()  # the replicas hold their own connections
    # The replicas keep their cache (the kept lists) and rate-limit counters in Redis, as production
    # does (config/settings/production.py), not each worker in its own memory and the counters in a
    # row of PostgreSQL every verification updates.
    os.environ.setdefault("TEST_CACHE_URL", os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/12"))
    os.environ["TEST_CACHE_PREFIX"] = f"bench-province-{os.getpid()}"
    os.environ.setdefault("RATELIMIT_STORE", "redis")
    workdir = tempfile.mkdtemp(prefix="mqa-bench-province-")
    replicas, balancer = [], None
    try:
        for _ in range(2):  # two replicas, each as bench/concurrency.py starts one (2 sync workers)
            port = free_port()
            replicas.append((start_gunicorn(port), port))
        balancer, lb = start_balancer([port for _p, port in replicas], workdir)
        print(
            f"\n2 gunicorn replicas behind haproxy (port {lb}); {concurrency.CLIENTS} concurrent users × "
            f"{concurrency.REQUESTS} requests per page, {ROUNDS} turns with the bare view; "
            f"load average before {os.getloadavg()[0]:.2f}"
        )
        print(f"{'page':16}{'p50 ms':>10}{'p95 ms':>10}{'bare p50':>10}{'bare p95':>10}{'p95 ratio':>11}  target ≤ 2")
        for label, url, cookie in cookies:
            for _ in range(4):  # warm up both replicas
                status, size, _t = get(lb, url, cookie)
                assert status == 200, (label, url, status)
            bare = f"/bench/bare/?rows={bare_rows(lb, size)}"
            # Page and bare view in turns, ROUNDS times, so that both see the same moments of the
            # machine (one after the other, a busy moment decided which of the two it slowed).
            page_times, bare_times = [], []
            for _ in range(ROUNDS):
                page_times += load(lb, url, cookie)
                bare_times += load(lb, bare, None)
            ratio = p(page_times, 95) / p(bare_times, 95)
            print(
                f"{label:16}{p(page_times, 50):10.1f}{p(page_times, 95):10.1f}{p(bare_times, 50):10.1f}"
                f"{p(bare_times, 95):10.1f}{ratio:11.2f}  {'met' if ratio <= 2 else 'MISSED'}",
                flush=True,
            )
        print(f"load average after {os.getloadavg()[0]:.2f}")
    finally:
        if balancer is not None:
            balancer.terminate()
            balancer.wait(timeout=10)
        for proc, _port in replicas:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        shutil.rmtree(workdir, ignore_errors=True)


@in_every_programme  # the bench builds and reads data itself; its requests run in their users' scope
def main():
    from pages import POOL

    from core.models import User

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        experts = User.objects.bulk_create(
            [User(email=f"bench-expert{i}@example.cn", full_name=f"Expert {i}") for i in range(POOL)]
        )
        t0 = time.perf_counter()
        first = add_programme(1, experts)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"programme 1: {PER} applications built in {time.perf_counter() - t0:.1f} s")
        pages = targets(*first)
        cache.clear()
        one = measure(pages)
        t0 = time.perf_counter()
        for i in range(2, PROGRAMMES + 1):
            add_programme(i, experts)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        more = (PROGRAMMES - 1) * PER
        print(f"programmes 2–{PROGRAMMES}: {more} applications more in {time.perf_counter() - t0:.1f} s")
        cache.clear()
        many = measure(pages)
        print(f"\nprogramme 1's pages, one request at a time (lowest of 3 medians of 15), 1 programme → {PROGRAMMES}")
        print(f"{'page':16}{'queries':>12}{'ms (1)':>9}{'ms (' + str(PROGRAMMES) + ')':>9}{'ratio':>7}  target ≤ 1.10")
        for a, b in zip(one, many, strict=True):
            ratio = b["ms"] / a["ms"]
            met = ratio <= 1.10 and a["queries"] == b["queries"]
            print(
                f"{a['label']:16}{a['queries']:>5} → {b['queries']:<4}{a['ms']:9.1f}{b['ms']:9.1f}{ratio:7.2f}"
                f"  {'met' if met else 'MISSED'}"
            )
        if LOAD:
            under_load(pages)
    finally:
        connection.close()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()

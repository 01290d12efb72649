"""Benchmark: render certificates through a real Celery worker (not a test; prints figures).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mqa_bench6 BENCH_REDIS_URL=redis://127.0.0.1:6379/7 \
        .venv/bin/python bench/certificates.py [--count 200]

It creates (or empties) its own database, makes COUNT awarded applications, then:
1. renders the same certificate HTML with bare WeasyPrint in this process (the baseline);
2. issues the certificates and lets one worker process (concurrency 1) render them all;
3. regenerates them all with two worker processes (concurrency 2).
It reports time per certificate against the baseline, PDF sizes and the speed-up of 2 processes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mqa_bench6")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
MEDIA = tempfile.mkdtemp(prefix="mqa-bench-media-")
ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.local",
    "DATABASE_URL": DB_URL,
    "REDIS_URL": REDIS_URL,
    "MEDIA_ROOT": MEDIA,
    "CELERY_TASK_ALWAYS_EAGER": "false",
    "LOG_LEVEL": "WARNING",
    "SITE_URL": "https://award.example.org",
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


def setup_data(count: int, *, edition: int = 901, year: int = 2017, code_prefix: str = "9143100BEN"):
    from django.utils import timezone

    from awards.enums import ApplicationStatus, CycleStatus
    from awards.models import Application, AwardCycle, AwardLevel, CriteriaFramework
    from enterprises.enums import District, Industry
    from enterprises.models import Enterprise
    from enterprises.validators import credit_code_with_check

    now = timezone.now()
    cycle = AwardCycle.objects.create(
        edition=edition,
        year=year,
        framework=CriteriaFramework.objects.get(code="gbt19580-2012"),
        status=CycleStatus.CONCLUDED,
        title_zh="第六届郴州市市长质量奖",
        title_en="6th Chenzhou Mayor Quality Award (2017)",
        applications_open_at=now - dt.timedelta(days=30),
        applications_close_at=now - dt.timedelta(days=1),
    )
    level = AwardLevel.objects.create(
        cycle=cycle, code="mayor", name_zh="市长质量奖", name_en="Mayor Quality Award", rank=1, quota=count
    )
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=credit_code_with_check(f"{code_prefix}{i:07d}"),
            name_zh=f"郴州市第{i}号精密制造有限责任公司" if i % 2 else "",
            name_en=f"Chenzhou Precision Manufacturing No. {i} Co., Ltd.",
            district=District.BEIHU,
            industry=Industry.MANUFACTURING,
            founded_on=dt.date(2005, 1, 1),
            employees=300,
            address="北湖区",
            contact_name="质量部",
            contact_phone="0735-2200000",
            contact_email=f"q{i}@bench.example.cn",
        )
        for i in range(count)
    )
    Application.objects.bulk_create(
        Application(
            enterprise=e, cycle=cycle, status=ApplicationStatus.AWARDED, award_level=level, status_changed_at=now
        )
        for e in enterprises
    )
    return cycle


def start_worker(concurrency: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel",
            "WARNING",
            "--concurrency",
            str(concurrency),
            "--pool",
            "prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"bench-{time.time_ns()}@%h",
        ],
        cwd=ROOT,
        env={**os.environ, **ENV},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=open(f"/tmp/mqa-bench-worker-{concurrency}.log", "w"),  # noqa: SIM115
    )


def stop_worker(proc: subprocess.Popen) -> None:
    import signal

    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)


def warm_up(warm_cycle, concurrency: int) -> None:
    """Each pool process renders once (fonts loaded) before timing starts."""
    from certificates.enums import CertificateStatus as CS
    from certificates.models import Certificate
    from certificates.services import _queue_render

    ids = list(Certificate.objects.filter(cycle=warm_cycle).values_list("pk", flat=True))[:concurrency]
    Certificate.objects.filter(pk__in=ids).update(status=CS.PENDING)
    _queue_render(ids)
    deadline = time.monotonic() + 120
    while Certificate.objects.filter(pk__in=ids, status=CS.READY).count() < len(ids):
        if time.monotonic() > deadline:
            raise SystemExit("warm-up timed out")
        time.sleep(0.2)


def wait_all_ready(cycle, count: int, timeout: float = 1800) -> float:
    from certificates.enums import CertificateStatus as CS
    from certificates.models import Certificate

    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        n = Certificate.objects.filter(cycle=cycle, status=CS.READY).count()
        failed = Certificate.objects.filter(cycle=cycle, status=CS.FAILED).count()
        if failed:
            raise SystemExit(f"{failed} certificates failed")
        if n == count:
            return time.perf_counter()
        time.sleep(0.25)
    raise SystemExit("timed out")


def worker_seconds(cycle) -> list[float]:
    from certificates.models import Certificate

    return [
        (r - c).total_seconds()
        for c, r in Certificate.objects.filter(cycle=cycle).values_list("claimed_at", "rendered_at")
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--baseline", type=int, default=30, help="bare WeasyPrint renders for the baseline")
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    import redis

    from certificates.models import Certificate
    from certificates.rendering import certificate_html, pdf_from_html
    from certificates.services import certificates_issue_for_cycle
    from config.celery import app

    app.conf.task_always_eager = False
    redis.Redis.from_url(REDIS_URL).flushdb()
    from django.core.management import call_command

    from enterprises.models import Enterprise

    call_command("migrate", verbosity=0)
    from awards.models import Application, AwardCycle
    from certificates.models import CertificateCounter

    Certificate.objects.all().delete()
    CertificateCounter.objects.all().delete()
    Application.objects.all().delete()
    AwardCycle.objects.filter(edition__in=[901, 902]).delete()
    Enterprise.objects.filter(credit_code__startswith="9143100B").delete()
    cycle = setup_data(args.count)
    warm_cycle = setup_data(2, edition=902, year=2016, code_prefix="9143100BWU")
    certificates_issue_for_cycle(cycle=warm_cycle, by=None, system=True)  # queued now, rendered at warm-up
    print(f"{args.count} awarded applications; media in {MEDIA}; broker {REDIS_URL}; database {DB_URL}")

    # Run 1: one worker process.
    worker = start_worker(1)
    try:
        warm_up(warm_cycle, 1)
        t0 = time.perf_counter()
        certificates_issue_for_cycle(cycle=cycle, by=None, system=True)  # queues the renders on commit
        t1 = wait_all_ready(cycle, args.count)
    finally:
        stop_worker(worker)
    total_1 = t1 - t0
    in_worker_1 = worker_seconds(cycle)

    # Baseline: bare WeasyPrint on the very same HTML, in this process (after one warm-up render).
    certs = list(
        Certificate.objects.filter(cycle=cycle).select_related("cycle", "award_level", "application__enterprise")
    )
    pdf_from_html(certificate_html(certs[0]))
    bare = []
    for cert in certs[: args.baseline]:
        html = certificate_html(cert)
        s = time.perf_counter()
        pdf_from_html(html)
        bare.append(time.perf_counter() - s)
    bare_mean = statistics.mean(bare)

    sizes = [c.size_bytes for c in Certificate.objects.filter(cycle=cycle)]

    # Run 2: the same certificates again with two worker processes.
    from certificates.enums import CertificateStatus as CS

    worker = start_worker(2)
    try:
        warm_up(warm_cycle, 2)
        Certificate.objects.filter(cycle=cycle).update(status=CS.PENDING)
        t0 = time.perf_counter()
        from certificates.services import _queue_render

        _queue_render(list(Certificate.objects.filter(cycle=cycle).values_list("pk", flat=True)))
        t1 = wait_all_ready(cycle, args.count)
    finally:
        stop_worker(worker)
    total_2 = t1 - t0
    in_worker_2 = worker_seconds(cycle)

    per_cert_1 = total_1 / args.count
    print()
    print(
        f"bare WeasyPrint render (same HTML, {len(bare)} runs): mean {bare_mean * 1000:.0f} ms, "
        f"median {statistics.median(bare) * 1000:.0f} ms"
    )
    print(
        f"through the worker, concurrency 1: {total_1:.1f} s for {args.count} = "
        f"{per_cert_1 * 1000:.0f} ms per certificate "
        f"(in-task claim→ready mean {statistics.mean(in_worker_1) * 1000:.0f} ms)"
    )
    print(f"ratio worker / bare: {per_cert_1 / bare_mean:.2f} (target ≤ 1.3)")
    print(
        f"PDF size: min {min(sizes) / 1024:.0f} KB, mean {statistics.mean(sizes) / 1024:.0f} KB, "
        f"max {max(sizes) / 1024:.0f} KB (target ≤ 300 KB); over 300 KB: {sum(s > 300 * 1024 for s in sizes)}"
    )
    print(
        f"through the worker, concurrency 2: {total_2:.1f} s (in-task mean "
        f"{statistics.mean(in_worker_2) * 1000:.0f} ms); speed-up {total_1 / total_2:.2f}× (target ≥ 1.6×)"
    )
    print(f"cores: {os.cpu_count()}; load average now: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

"""Benchmark: render certificates through a real Celery worker (not a test; prints figures).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mqa_bench6 BENCH_REDIS_URL=redis://127.0.0.1:6379/7 \
        .venv/bin/python bench/certificates.py [--count 200]

It creates (or empties) its own database, makes COUNT awarded applications, issues their
certificates, then:
1. with one worker process (concurrency 1), block by block: the worker renders a block of
   certificates, then this process renders the same blocks' HTML with bare WeasyPrint (the
   baseline) and with the project's own call (shared font configuration);
2. the worker renders all of them again in one go;
3. two worker processes (concurrency 2) render all of them in one go.
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
from core.scopes import in_every_programme  # noqa: E402

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
    from awards.models import Application, AwardCycle, AwardLevel, AwardProgramme, CriteriaFramework
    from enterprises.enums import District, Industry
    from enterprises.models import Enterprise
    from enterprises.validators import credit_code_with_check

    now = timezone.now()
    cycle = AwardCycle.objects.create(
        programme=AwardProgramme.objects.get(slug="chenzhou"),
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
            credit_code=credit_code_with_check(f"{code_prefix}{i:06d}"),
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
    from certificates.enums import CertificateStatus
    from certificates.models import Certificate
    from certificates.services import _queue_render

    ids = list(Certificate.objects.filter(cycle=warm_cycle).values_list("pk", flat=True))[:concurrency]
    Certificate.objects.filter(pk__in=ids).update(status=CertificateStatus.PENDING)
    _queue_render(ids)
    deadline = time.monotonic() + 120
    while Certificate.objects.filter(pk__in=ids, status=CertificateStatus.READY).count() < len(ids):
        if time.monotonic() > deadline:
            raise SystemExit("warm-up timed out")
        time.sleep(0.2)


def render_through_worker(ids: list[int], timeout: float = 1800) -> tuple[float, list[float]]:
    """Queue `ids` for rendering and wait for them. Returns the seconds from queueing to the last
    certificate's `rendered_at` (as the worker stamped it, so the polling interval does not count)
    and each certificate's in-task time (claim → ready)."""
    from certificates.enums import CertificateStatus
    from certificates.models import Certificate
    from certificates.services import _queue_render

    Certificate.objects.filter(pk__in=ids).update(status=CertificateStatus.PENDING, rendered_at=None)
    t0 = time.time()
    _queue_render(ids)
    while time.time() - t0 < timeout:
        rows = Certificate.objects.filter(pk__in=ids)
        if rows.filter(status=CertificateStatus.FAILED).exists():
            raise SystemExit(
                f"failed: {list(rows.filter(status=CertificateStatus.FAILED).values_list('error', flat=True))[:3]}"
            )
        if rows.filter(status=CertificateStatus.READY).count() == len(ids):
            stamps = list(rows.values_list("claimed_at", "rendered_at"))
            last = max(r for _, r in stamps).timestamp()
            return last - t0, [(r - c).total_seconds() for c, r in stamps]
        time.sleep(0.05)
    raise SystemExit("timed out")


def timed(fn, *args) -> float:
    s = time.perf_counter()
    fn(*args)
    return time.perf_counter() - s


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


@in_every_programme  # the bench builds and reads data itself; its requests run in their users' scope
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--block", type=int, default=20, help="certificates per interleaved block")
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    import redis
    from weasyprint import HTML

    from certificates.models import Certificate
    from certificates.rendering import certificate_html
    from certificates.services import certificates_issue_for_cycle
    from config.celery import app
    from core.pdf import html_to_pdf

    app.conf.task_always_eager = False
    redis.Redis.from_url(REDIS_URL).flushdb()
    from django.conf import settings
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
    # Issue both cycles as confirming the winners does (serials, codes, queued renders), then drop the
    # queued messages: the runs below queue the certificates themselves, block by block.
    certificates_issue_for_cycle(cycle=warm_cycle, by=None, system=True)
    certificates_issue_for_cycle(cycle=cycle, by=None, system=True)
    redis.Redis.from_url(REDIS_URL).flushdb()
    certs = list(
        Certificate.objects.filter(cycle=cycle)
        .select_related("cycle", "award_level", "application__enterprise")
        .order_by("serial")
    )
    html = {c.pk: certificate_html(c) for c in certs}
    base_url = str(settings.BASE_DIR)

    def bare(pk: int) -> None:  # WeasyPrint as documented, nothing else: a fresh font configuration each time
        HTML(string=html[pk], base_url=base_url).write_pdf()

    def shared_fonts(pk: int) -> None:  # the project's call (core.pdf): one font configuration per process
        html_to_pdf(html[pk])

    bare(certs[0].pk)
    shared_fonts(certs[0].pk)
    print(f"{args.count} awarded applications; media in {MEDIA}; broker {REDIS_URL}; database {DB_URL}")

    # Run 1, one worker process, interleaved with the in-process renders block by block so that both
    # sides see the same machine (a 2-core VM's speed drifts from minute to minute).
    ids = [c.pk for c in certs]
    blocks = [ids[i : i + args.block] for i in range(0, len(ids), args.block)]
    worker_total, in_task, bare_times, shared_times = 0.0, [], [], []
    worker = start_worker(1)
    try:
        warm_up(warm_cycle, 1)
        for block in blocks:
            seconds, tasks = render_through_worker(block)
            worker_total += seconds
            in_task += tasks
            bare_times += [timed(bare, pk) for pk in block]
            shared_times += [timed(shared_fonts, pk) for pk in block]
        # The same certificates again in one go (no pauses), for the speed-up comparison.
        total_1, _ = render_through_worker(ids)
    finally:
        stop_worker(worker)
    sizes = [c.size_bytes for c in Certificate.objects.filter(cycle=cycle)]

    # Run 2: the same certificates again with two worker processes.
    worker = start_worker(2)
    try:
        warm_up(warm_cycle, 2)
        total_2, in_task_2 = render_through_worker(ids)
    finally:
        stop_worker(worker)

    per_cert = worker_total / args.count
    bare_mean, shared_mean = statistics.mean(bare_times), statistics.mean(shared_times)
    print()
    print(f"interleaved in blocks of {args.block}, {args.count} certificates each way:")
    print(
        f"  bare WeasyPrint render (HTML(string).write_pdf(), same HTML): mean {ms(bare_mean)}, "
        f"median {ms(statistics.median(bare_times))}"
    )
    print(
        f"  same render with the shared font configuration (core.pdf.html_to_pdf): mean {ms(shared_mean)}, "
        f"median {ms(statistics.median(shared_times))}"
    )
    print(
        f"  through the worker, concurrency 1: {worker_total:.1f} s = {ms(per_cert)} per certificate "
        f"(queued → last rendered_at; in-task claim → ready mean {ms(statistics.mean(in_task))})"
    )
    print(f"  ratio worker / bare WeasyPrint: {per_cert / bare_mean:.2f} (target ≤ 1.3)")
    print(f"  ratio worker / same render in-process (pipeline overhead alone): {per_cert / shared_mean:.2f}")
    print(
        f"PDF size: min {min(sizes) / 1024:.0f} KB, mean {statistics.mean(sizes) / 1024:.0f} KB, "
        f"max {max(sizes) / 1024:.0f} KB (target ≤ 300 KB); over 300 KB: {sum(s > 300 * 1024 for s in sizes)}"
    )
    print(f"all {args.count} in one go, concurrency 1: {total_1:.1f} s")
    print(
        f"all {args.count} in one go, concurrency 2: {total_2:.1f} s (in-task mean "
        f"{ms(statistics.mean(in_task_2))}); speed-up {total_1 / total_2:.2f}× (target ≥ 1.6×)"
    )
    print(f"cores: {os.cpu_count()}; load average now: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

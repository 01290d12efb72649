"""Benchmark: feedback report PDFs for 300 applications of one cycle, rendered by 2 worker processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mqa_bench_feedback .venv/bin/python bench/feedback.py [--count 300]

It creates (or empties) its own database, makes COUNT applications with five-expert material panels
(23 item scores and 7 comments each), released reports with every category written and the figures
stored as approval stores them (one `cycle_figures` call for the whole cycle, timed), then renders
every report with the worker's task function (`feedback.tasks.render_report`) in 2 processes, each a
Django process like a Celery worker with concurrency 2. Prints time per report, throughput, and PDF sizes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from core.scopes import in_every_programme  # noqa: E402

DB_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mqa_bench_feedback")
MEDIA = tempfile.mkdtemp(prefix="mqa-bench-feedback-")
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": DB_URL,
        "MEDIA_ROOT": MEDIA,
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing is queued: the renders are called directly
    }
)


def ensure_database() -> None:
    import psycopg2

    name = DB_URL.rsplit("/", 1)[1]
    conn = psycopg2.connect(DB_URL.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def setup_data(count: int) -> list[int]:
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from awards.enums import ApplicationStatus, CycleRole, CycleStatus
    from awards.models import (
        Application,
        AwardCycle,
        AwardProgramme,
        CriteriaCategory,
        CriteriaFramework,
        CriteriaItem,
        CycleMembership,
    )
    from core.models import User
    from enterprises.models import Enterprise
    from feedback import selectors
    from feedback.enums import ReportStatus
    from feedback.models import FeedbackReport, ReportCategory
    from reviews.enums import AssignmentStatus, RoundKind, SheetStatus
    from reviews.models import Assignment, CategoryFeedback, ItemScore, Panel, ReviewRound, ScoreSheet

    now = timezone.now()
    framework = CriteriaFramework.objects.get(code="gbt19580-2012")
    cycle = AwardCycle.objects.create(
        programme=AwardProgramme.objects.get(slug="chenzhou"),
        edition=950,
        year=2030,
        title_zh="第950届郴州市市长质量奖",
        title_en="950th Chenzhou Mayor Quality Award",
        framework=framework,
        status=CycleStatus.OPEN,
        applications_open_at=now - dt.timedelta(days=60),
        applications_close_at=now - dt.timedelta(days=30),
    )
    experts = [User.objects.create_user(email=f"e{i}@bench.cn", password="x", full_name=f"专家{i}") for i in range(5)]
    CycleMembership.objects.bulk_create(CycleMembership(cycle=cycle, user=u, role=CycleRole.EXPERT) for u in experts)
    rnd = ReviewRound.objects.create(
        cycle=cycle, kind=RoundKind.MATERIAL, opens_at=now - dt.timedelta(days=20), closes_at=now - dt.timedelta(days=1)
    )
    items = list(CriteriaItem.objects.filter(category__framework=framework))
    categories = list(CriteriaCategory.objects.filter(framework=framework).order_by("order"))
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name_zh=f"郴州基准企业{i:03d}有限公司",
            name_en=f"Chenzhou Bench {i:03d} Co., Ltd.",
            credit_code=f"B{i:017d}",
            district="431002",
            industry="C",
            founded_on=dt.date(2005, 1, 1),
            employees=300,
            address="郴州市北湖区",
            contact_name="联系人",
            contact_phone="0735-1234567",
            contact_email=f"c{i}@bench.cn",
        )
        for i in range(count)
    )
    apps = Application.objects.bulk_create(
        Application(
            enterprise=e,
            cycle=cycle,
            status=ApplicationStatus.MATERIAL_REVIEW,
            record_name_zh=e.name_zh,
            record_name_en=e.name_en,
            record_credit_code=e.credit_code,
        )
        for e in enterprises
    )
    panels = Panel.objects.bulk_create(Panel(round=rnd, application=a) for a in apps)
    assignments = Assignment.objects.bulk_create(
        Assignment(panel=p, expert=u, is_leader=k == 0, status=AssignmentStatus.ACCEPTED)
        for p in panels
        for k, u in enumerate(experts)
    )
    sheets = ScoreSheet.objects.bulk_create(
        ScoreSheet(assignment=a, status=SheetStatus.SUBMITTED, submitted_at=now) for a in assignments
    )
    ItemScore.objects.bulk_create(
        (
            ItemScore(sheet=s, item=item, percent=(20 + 5 * ((n * 7 + j * 3 + item.pk) % 13)))
            for n, s in enumerate(sheets)
            for j, item in enumerate(items)
        ),
        batch_size=5000,
    )
    CategoryFeedback.objects.bulk_create(
        (
            CategoryFeedback(sheet=s, category=c, strengths=f"{c.title_zh}：方法系统。", opportunities="对比数据不足。")
            for s in sheets
            for c in categories
        ),
        batch_size=5000,
    )
    t0 = time.perf_counter()
    figures = selectors.cycle_figures(cycle).by_application
    figures_s = time.perf_counter() - t0
    reports = FeedbackReport.objects.bulk_create(
        FeedbackReport(
            application=a,
            status=ReportStatus.RELEASED,
            released_at=now,
            key_themes="各类目的方法已较系统，但测量与对比普遍不足。" * 3,
            site_findings="",
        )
        for a in apps
    )
    ReportCategory.objects.bulk_create(
        (
            ReportCategory(
                report=r,
                category=c,
                strengths=f"{c.title_zh}：高层领导亲自推动，方法系统，展开较充分，学习与改进有记录。" * 3,
                opportunities="\n".join(
                    f"{c.title_zh}：改进机会{k}，建议建立与标杆对比的分析机制。" for k in range(1, 4)
                ),
                percent=figures[r.application_id][c.pk].percent,
                band=figures[r.application_id][c.pk].band,
                quartile=figures[r.application_id][c.pk].quartile,
                cohort=figures[r.application_id][c.pk].cohort,
            )
            for r in reports
            for c in categories
        ),
        batch_size=5000,
    )
    print(f"set-up: {count} applications; cycle_figures for the whole cycle: {figures_s:.2f} s")
    return [r.pk for r in reports]


def _init_worker():
    import django

    django.setup()
    from django.db import connection

    connection.close()


def _render(report_id: int) -> tuple[float, int]:
    from feedback.tasks import render_report

    t0 = time.perf_counter()
    size = render_report(report_id=report_id)  # through the task class: in its scope
    return time.perf_counter() - t0, size


@in_every_programme  # the bench builds and reads data itself; its requests run in their users' scope
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    ids = setup_data(args.count)
    from django.db import connection

    connection.close()
    ctx = multiprocessing.get_context("fork")
    t0 = time.perf_counter()
    with ctx.Pool(args.workers, initializer=_init_worker) as pool:
        results = pool.map(_render, ids, chunksize=4)
    wall = time.perf_counter() - t0
    times = sorted(t for t, _s in results)
    sizes = sorted(s for _t, s in results)
    print(
        f"{len(ids)} reports, {args.workers} worker processes: {wall:.1f} s wall, "
        f"{wall / len(ids) * 1000:.0f} ms per report"
    )
    print(
        f"per render in a worker: median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.0f} ms, first-in-process max {times[-1] * 1000:.0f} ms"
    )
    print(
        f"PDF size: median {statistics.median(sizes) / 1024:.0f} KiB, min {sizes[0] / 1024:.0f} KiB, "
        f"max {sizes[-1] / 1024:.0f} KiB, total {sum(sizes) / 1024 / 1024:.1f} MiB"
    )


if __name__ == "__main__":
    main()

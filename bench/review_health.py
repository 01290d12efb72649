"""Benchmark: the review-health block at scale (not a timed test).

The cycles of `bench/review_ranking.py` (10 and 2,000 applications × 5 experts × 23 items, material
review) plus an on-site round for a tenth of each cycle's applications, in a throw-away PostgreSQL
database. Prints the SQL queries and the time to compute `reviews.health_selectors.review_health`
(agreement, leniency, drift, reordering by normalisation) and the size of the JSON record stored
with a closed meeting, at both sizes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mqa_bench_health .venv/bin/python bench/review_health.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mqa_bench_health")
os.environ.setdefault("AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from review_ranking import N_BIG, N_SMALL, PANEL, POOL, build  # noqa: E402

from core.scopes import in_every_programme  # noqa: E402


def add_onsite(cycle, experts, share: int = 10):
    """An on-site round for every `share`-th application, scored near its material scores."""
    import datetime as dt
    import random

    from awards.models import CriteriaItem
    from reviews.enums import AssignmentStatus, RoundKind, SheetStatus
    from reviews.models import Assignment, ItemScore, Panel, ReviewRound, ScoreSheet

    now = timezone.now()
    rnd = ReviewRound.objects.create(
        cycle=cycle, kind=RoundKind.ONSITE, opens_at=now - dt.timedelta(days=5), closes_at=now + dt.timedelta(days=1)
    )
    apps = list(cycle.applications.order_by("pk")[::share])
    panels = Panel.objects.bulk_create([Panel(round=rnd, application=a) for a in apps])
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                panel=p,
                expert=experts[(k * PANEL + j + 3) % len(experts)],
                is_leader=j == 0,
                status=AssignmentStatus.ACCEPTED,
            )
            for k, p in enumerate(panels)
            for j in range(PANEL)
        ]
    )
    sheets = ScoreSheet.objects.bulk_create(
        [ScoreSheet(assignment=a, status=SheetStatus.SUBMITTED, submitted_at=now) for a in assignments]
    )
    items = list(CriteriaItem.objects.filter(category__framework=cycle.framework).values_list("pk", flat=True))
    rng = random.Random(cycle.pk)
    ItemScore.objects.bulk_create(
        (ItemScore(sheet=s, item_id=i, percent=rng.randrange(25, 100, 5)) for s in sheets for i in items),
        batch_size=10000,
    )


def measure(cycle):
    import json

    from reviews.health_selectors import review_health

    with CaptureQueriesContext(connection) as q:
        record = review_health(cycle=cycle)
    times, sql = [], []
    for _ in range(3):
        with CaptureQueriesContext(connection) as timed:
            t0 = time.perf_counter()
            review_health(cycle=cycle)
            times.append(time.perf_counter() - t0)
        sql.append(sum(float(x["time"]) for x in timed.captured_queries))
    material = record["rounds"][0]
    return {
        "applications": material["reordering"]["ranked"],
        "queries": len(q),
        "seconds": min(times),
        "sql_seconds": sql[times.index(min(times))],
        "record_kb": len(json.dumps(record)) / 1024,
        "icc": material["agreement"]["single"],
    }


@in_every_programme  # the bench builds and reads data itself; its requests run in their users' scope
def main():
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from core.models import User

        secretary = User.objects.create_user(email="bench-sec@example.cn", password="x")
        experts = User.objects.bulk_create(
            [User(email=f"bench-expert{i}@example.cn", full_name=f"Expert {i}") for i in range(POOL)]
        )
        small = build(1, N_SMALL, experts, secretary)
        big = build(2, N_BIG, experts, secretary)
        add_onsite(small, experts, share=2)
        add_onsite(big, experts)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        measure(small)  # warm up
        a, b = measure(small), measure(big)
        print(f"{'':34}{N_SMALL:>12}{N_BIG:>12}{'ratio':>10}")
        for key, label in [
            ("applications", "applications (material)"),
            ("queries", "review health: SQL queries"),
            ("seconds", "review health: compute (s)"),
            ("sql_seconds", "  of which in SQL (s)"),
            ("record_kb", "stored record (KiB)"),
            ("icc", "ICC(1,1), material"),
        ]:
            x, y = a[key], b[key]
            fmt = "{:>12.3f}" if isinstance(x, float) else "{:>12,}"
            print(f"{label:34}" + fmt.format(x) + fmt.format(y) + f"{(y / x if x else 0):>10.1f}")
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            from reviews.health_selectors import review_health

            cProfile.runctx(
                "review_health(cycle=big)", globals(), {"review_health": review_health, "big": big}, "/tmp/health.prof"
            )
            pstats.Stats("/tmp/health.prof").sort_stats("cumulative").print_stats(15)
        print("query counts equal:", a["queries"] == b["queries"], "· under 1 s:", b["seconds"] < 1)
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()

"""Benchmark: the expert review ranking at scale (not a timed test).

A cycle of 2,000 applications × 5 experts × 23 items (230,000 item scores) beside a cycle of 10
applications, in a throw-away PostgreSQL database created and destroyed with Django's test-runner
utilities. Prints the SQL query counts of the ranking page and the CSV export for both cycles (they
must be equal), the time to compute the ranking and the ratios to 10 applications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mqa_bench4 .venv/bin/python bench/review_ranking.py
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mqa_bench4")
os.environ.setdefault("AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.scopes import in_every_programme  # noqa: E402

N_BIG, N_SMALL, PANEL, POOL = 2000, 10, 5, 100


# One character of a credit code per benchmark cycle (the code's alphabet leaves out I, O, S, V and Z).
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def build(cycle_no: int, n: int, experts, secretary, programme=None):
    """A cycle of `n` applications in review (Chenzhou's programme unless `programme` is given)."""
    import datetime as dt

    from awards.enums import ApplicationStatus, CycleRole, CycleStatus
    from awards.models import Application, AwardCycle, AwardProgramme, CriteriaFramework, CriteriaItem, CycleMembership
    from enterprises.models import Enterprise
    from enterprises.validators import credit_code_with_check
    from reviews.enums import AssignmentStatus, RoundKind, SheetStatus
    from reviews.models import Assignment, ItemScore, Panel, ReviewRound, ScoreSheet
    from reviews.panel_scores import refresh_cycle

    now = timezone.now()
    fw = CriteriaFramework.objects.get(code="gbt19580-2012")
    cycle = AwardCycle.objects.create(
        programme=programme or AwardProgramme.objects.get(slug="chenzhou"),
        edition=900 + cycle_no,
        year=2900 + cycle_no,
        framework=fw,
        status=CycleStatus.REVIEWING,
        title_zh=f"基准{n}",
        title_en=f"Bench {n}",
        applications_open_at=now - dt.timedelta(days=90),
        applications_close_at=now - dt.timedelta(days=60),
    )
    CycleMembership.objects.create(cycle=cycle, user=secretary, role=CycleRole.SECRETARY)
    CycleMembership.objects.bulk_create([CycleMembership(cycle=cycle, user=e, role=CycleRole.EXPERT) for e in experts])
    rnd = ReviewRound.objects.create(
        cycle=cycle, kind=RoundKind.MATERIAL, opens_at=now - dt.timedelta(days=30), closes_at=now + dt.timedelta(days=1)
    )
    ents = Enterprise.objects.bulk_create(
        [
            Enterprise(
                credit_code=credit_code_with_check(f"91431002M{CODE_CHARS[cycle_no]}{i:06d}"),
                name_zh=f"基准企业{cycle_no}-{i}",
                name_en=f"Bench {cycle_no}-{i}",
                district="431002",
                industry="C",
                founded_on=dt.date(2010, 1, 1),
                employees=100,
                address="-",
                contact_name="-",
                contact_phone="-",
                contact_email="b@example.cn",
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    apps = Application.objects.bulk_create(
        [
            Application(
                enterprise=e,
                cycle=cycle,
                status=ApplicationStatus.MATERIAL_REVIEW,
                submitted_at=now - dt.timedelta(days=70, minutes=i),
            )
            for i, e in enumerate(ents)
        ],
        batch_size=1000,
    )
    panels = Panel.objects.bulk_create([Panel(round=rnd, application=a) for a in apps], batch_size=1000)
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                panel=p,
                expert=experts[(k * PANEL + j) % len(experts)],
                is_leader=j == 0,
                status=AssignmentStatus.ACCEPTED,
            )
            for k, p in enumerate(panels)
            for j in range(PANEL)
        ],
        batch_size=2000,
    )
    sheets = ScoreSheet.objects.bulk_create(
        [ScoreSheet(assignment=a, status=SheetStatus.SUBMITTED, submitted_at=now) for a in assignments], batch_size=2000
    )
    items = list(CriteriaItem.objects.filter(category__framework=fw).values_list("pk", flat=True))
    rng = random.Random(cycle_no)
    ItemScore.objects.bulk_create(
        (ItemScore(sheet=s, item_id=i, percent=rng.randrange(20, 95, 5)) for s in sheets for i in items),
        batch_size=10000,
    )
    refresh_cycle(cycle)  # the stored panel scores, as the services keep them
    return cycle


def measure(client, cycle):
    from reviews.selectors import cycle_ranking

    with CaptureQueriesContext(connection) as page:
        t0 = time.perf_counter()
        assert client.get(reverse("reviews:ranking", args=[cycle.pk])).status_code == 200
        page_s = time.perf_counter() - t0
    with CaptureQueriesContext(connection) as export:
        t0 = time.perf_counter()
        response = client.get(reverse("reviews:export", args=[cycle.pk, "csv"]))
        assert response.status_code == 200
        pieces = iter(response.streaming_content if response.streaming else [response.content])
        first = next(pieces)
        first_s = time.perf_counter() - t0
        export_bytes = len(first) + sum(len(p) for p in pieces)
        export_s = time.perf_counter() - t0
    # Count now: captured queries are read from the connection's log, which the next request clears.
    page_queries, export_queries = len(page), len(export)
    # The export once more under tracemalloc: the most Python memory it held at any moment.
    import tracemalloc

    tracemalloc.start()
    response = client.get(reverse("reviews:export", args=[cycle.pk, "csv"]))
    for _piece in response.streaming_content if response.streaming else [response.content]:
        pass
    export_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        rows = cycle_ranking(cycle=cycle)
        times.append(time.perf_counter() - t0)
    return {
        "rows": len(rows),
        "page_queries": page_queries,
        "export_queries": export_queries,
        "ranking_s": min(times),
        "page_s": page_s,
        "export_first_s": first_s,
        "export_s": export_s,
        "export_bytes": export_bytes,
        "export_peak_mb": export_peak / 2**20,
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
        t0 = time.perf_counter()
        small = build(1, N_SMALL, experts, secretary)
        big = build(2, N_BIG, experts, secretary)
        from reviews.models import ItemScore

        print(f"built {ItemScore.objects.count():,} item scores in {time.perf_counter() - t0:.1f} s")
        # What autovacuum does after a bulk load in production: fresh planner statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        client = Client()
        client.force_login(secretary)
        client.get(reverse("reviews:ranking", args=[small.pk]))  # warm up
        a, b = measure(client, small), measure(client, big)
        print(f"{'':28}{N_SMALL:>12}{N_BIG:>12}{'ratio':>10}")
        for key, label in [
            ("rows", "ranked applications"),
            ("page_queries", "ranking page: SQL queries"),
            ("export_queries", "CSV export: SQL queries"),
            ("ranking_s", "compute ranking (s)"),
            ("page_s", "ranking page (s)"),
            ("export_first_s", "CSV export: first bytes (s)"),
            ("export_s", "CSV export: all (s)"),
            ("export_peak_mb", "CSV export: peak memory (MB)"),
            ("export_bytes", "CSV size (bytes)"),
        ]:
            x, y = a[key], b[key]
            fmt = "{:>12.3f}" if isinstance(x, float) else "{:>12,}"
            print(f"{label:28}" + fmt.format(x) + fmt.format(y) + f"{(y / x if x else 0):>10.1f}")
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            from reviews.selectors import cycle_ranking

            with CaptureQueriesContext(connection) as q:
                cProfile.runctx(
                    "cycle_ranking(cycle=big)",
                    globals(),
                    {"cycle_ranking": cycle_ranking, "big": big},
                    "/tmp/rank.prof",
                )
            pstats.Stats("/tmp/rank.prof").sort_stats("cumulative").print_stats(18)
            for query in q.captured_queries:
                print(query["time"], query["sql"][:120])
            slowest = max(q.captured_queries, key=lambda x: float(x["time"]))
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + slowest["sql"])
                print("\n".join(r[0] for r in cursor.fetchall()))
        ok = a["page_queries"] == b["page_queries"] and a["export_queries"] == b["export_queries"]
        print("query counts equal:", ok, "· ranking under 1 s:", b["ranking_s"] < 1)
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()

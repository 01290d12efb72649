"""Benchmark: the ranking page with presentation scores weighted in (not a test; prints figures).

The cycles of `bench/review_ranking.py` (10 and 2,000 applications, 5 experts × 23 items each) with
the cycle's presentation weighted at 20 % and every application heard in a presentation session and
scored by 5 panel members. Prints the ranking page's SQL queries and server time (best of 3) and
the time of the ranking's count query at both sizes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mqa_bench_pres .venv/bin/python bench/ranking_presentation.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mqa_bench_pres")
os.environ.setdefault("AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from pages import cost  # noqa: E402 -- the pages benchmark's measure of one page
from review_ranking import build  # noqa: E402

from core.scopes import in_every_programme  # noqa: E402

N_SMALL, N_BIG, POOL, PANEL = 10, int(os.environ.get("BENCH_BIG", "2000")), 100, 5


def presentations(cycle, experts, secretary):
    """One session, a slot per application and 5 scores per slot, as the services would store them."""
    import random

    from awards.models import Application
    from vetting.models import PresentationScore, PresentationSession, PresentationSlot

    now = timezone.now()
    cycle.presentation_weight = 20
    cycle.save(update_fields=["presentation_weight"])
    session = PresentationSession.objects.create(
        cycle=cycle, starts_at=now, duration_minutes=600, place="-", created_by=secretary
    )
    apps = list(Application.objects.filter(cycle=cycle).order_by("pk"))
    slots = PresentationSlot.objects.bulk_create(
        [PresentationSlot(session=session, application=a, starts_at=now) for a in apps], batch_size=1000
    )
    rng = random.Random(cycle.pk)
    PresentationScore.objects.bulk_create(
        [
            PresentationScore(
                slot=s, by=experts[j], score=rng.randrange(50, 100), scale_max=100, weight=20, given_at=now
            )
            for s in slots
            for j in range(PANEL)
        ],
        batch_size=5000,
    )
    try:
        from vetting.services import presentation_results_refresh
    except ImportError:  # before the stored results
        return
    presentation_results_refresh(application_ids=[a.pk for a in apps])


def ranked_sql_ms(cycle):
    """The first page of the ranking ordered with the presentation weighted in, and its count."""
    import inspect

    from reviews.selectors import ranked_applications, ranking_basis

    basis = ranking_basis(cycle)
    by = {"by_presentation": True} if "by_presentation" in inspect.signature(ranked_applications).parameters else {}
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        ranked = ranked_applications(cycle=cycle, basis=basis, **by)
        list(ranked[:50])
        ranked.count()
        seconds = time.perf_counter() - t0
        best = seconds if best is None else min(best, seconds)
    return best * 1000


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
        cycles = {}
        for n, no in ((N_SMALL, 1), (N_BIG, 2)):
            cycles[n] = build(no, n, experts, secretary)
            presentations(cycles[n], experts, secretary)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        client = Client()
        client.force_login(secretary)
        print(f"{'':34}{N_SMALL:>10}{N_BIG:>10}")
        figures = {n: cost(client, reverse("reviews:ranking", kwargs={"pk": c.pk})) for n, c in cycles.items()}
        print(f"{'ranking page: SQL queries':34}{figures[N_SMALL]['queries']:>10}{figures[N_BIG]['queries']:>10}")
        print(f"{'ranking page: ms (best of 3)':34}{figures[N_SMALL]['ms']:>10.0f}{figures[N_BIG]['ms']:>10.0f}")
        sql = {n: ranked_sql_ms(c) for n, c in cycles.items()}
        print(f"{'50 rows by presentation + count: ms':34}{sql[N_SMALL]:>10.1f}{sql[N_BIG]:>10.1f}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()

"""Benchmark: what the site's pages cost at 10 and at 2,000 applications (not a test; prints figures).

Two cycles in a throw-away PostgreSQL database (Django's test-runner utilities create and destroy
it): one of 10 and one of 2,000 applications, each application with a panel of 5 experts who
submitted all 23 items (bench/review_ranking.py builds them). In each cycle 8 applications are
awarded (with certificates), 5 are on public notice with one objection per 10 applications, a
committee meeting has every application on its agenda, and there is one enterprise per application.
For every page: SQL queries, server time of one request through Django's test client (best of 3),
HTML size, and the ratio 2,000 / 10. Then the exports: CSV against XLSX (time and peak Python memory
under tracemalloc).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mqa_bench_pages .venv/bin/python bench/pages.py

With BENCH_PAGES=0 it measures the exports only; BENCH_ONLY="ranking,round panels" measures only the
pages whose labels start with one of those (and no exports).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mqa_bench_pages")
os.environ.setdefault("AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from review_ranking import build  # noqa: E402

from core.scopes import in_every_programme  # noqa: E402

N_SMALL, N_BIG, POOL = 10, int(os.environ.get("BENCH_BIG", "2000")), 100
ONLY = tuple(label.strip() for label in os.environ.get("BENCH_ONLY", "").split(",") if label.strip())


def decorate(cycle, secretary):
    """Awarded applications with certificates, a public notice with objections, a meeting."""
    from awards.enums import ApplicationStatus
    from awards.models import AwardLevel
    from certificates.models import Certificate
    from certificates.services import certificate_words
    from committee.models import Ballot, Meeting, Objection, PublicNotice
    from core.audit import audit_record
    from core.enums import AuditEventType

    level = AwardLevel.objects.create(
        cycle=cycle, code="mayor", name_zh="市长质量奖", name_en="Mayor Quality Award", rank=1, quota=8
    )
    apps = list(cycle.applications.order_by("pk"))
    awarded, listed = apps[:8], apps[8:13]
    for a in awarded + listed:
        a.status = ApplicationStatus.AWARDED if a in awarded else ApplicationStatus.PUBLIC_NOTICE
        a.award_level, a.record_level_zh, a.record_level_en = level, level.name_zh, level.name_en
    type(apps[0]).objects.bulk_update(awarded + listed, ["status", "award_level", "record_level_zh", "record_level_en"])
    Certificate.objects.bulk_create(
        Certificate(
            application=a,
            cycle=cycle,
            award_level=level,
            number=i + 1,
            serial=f"B{cycle.pk}-{i + 1:04d}",
            verification_code=f"{cycle.pk:04d}{i:028d}",
            verification_url="https://award.example.org/verify/x/",
            issued_on=timezone.localdate(),
            status="ready",
            **certificate_words(cycle),
        )
        for i, a in enumerate(awarded)
    )
    notice = PublicNotice.objects.create(
        cycle=cycle,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=7),
        published_by=secretary,
    )
    notice.applications.add(*listed)
    Objection.objects.bulk_create(
        Objection(notice=notice, application=listed[i % len(listed)], name=f"异议人{i}", contact="x", reasons="y")
        for i in range(max(1, len(apps) // 10))
    )
    meeting = Meeting.objects.create(
        cycle=cycle, starts_at=timezone.now() + dt.timedelta(days=3), place="会议室", created_by=secretary
    )
    Ballot.objects.bulk_create(
        [Ballot(meeting=meeting, application=a, rank=i + 1) for i, a in enumerate(apps)], batch_size=1000
    )
    for i in range(20):
        audit_record(event=AuditEventType.MEETING_REMARK, obj=cycle, by=secretary, payload={"n": i})
    ballot = meeting.ballots.order_by("rank").first()
    return {"notice": notice, "meeting": meeting, "ballot": ballot}


def pages(cycle, extra):
    rnd = cycle.review_rounds.first()
    c = {"pk": cycle.pk}
    return [
        ("office queue", "secretary", reverse("awards:queue") + f"?cycle={cycle.pk}"),
        ("enterprises list", "secretary", reverse("enterprises:office_list")),
        ("certificates index", "secretary", reverse("certificates:index")),
        ("cycle certificates", "secretary", reverse("certificates:cycle", args=[cycle.pk])),
        ("certificates progress poll", "secretary", reverse("certificates:progress", args=[cycle.pk])),
        ("objections", "secretary", reverse("committee:objections", args=[cycle.pk])),
        ("office dashboard", "secretary", reverse("core:dashboard")),
        ("experts", "secretary", reverse("reviews:experts", kwargs=c)),
        ("round panels", "secretary", reverse("reviews:panels", args=[rnd.pk])),
        ("review matrix (cycle)", "secretary", reverse("reviews:cycle", kwargs=c)),
        ("ranking", "secretary", reverse("reviews:ranking", kwargs=c)),
        ("committee meeting (office)", "secretary", reverse("committee:meeting", args=[extra["meeting"].pk])),
        ("committee meeting (member)", "member", reverse("committee:meeting", args=[extra["meeting"].pk])),
        ("meeting report", "secretary", reverse("committee:report", args=[extra["meeting"].pk])),
        ("dossier", "secretary", reverse("committee:dossier", args=[extra["ballot"].pk])),
        ("public home", "anonymous", reverse("core:home")),
        ("public notice", "anonymous", reverse("committee:notice")),
        ("winners", "anonymous", reverse("committee:winners")),
        ("admin: applications", "admin", reverse("admin:awards_application_changelist")),
        ("admin: panels", "admin", reverse("admin:reviews_panel_changelist")),
        ("admin: ballots", "admin", reverse("admin:committee_ballot_changelist")),
        ("admin: item scores", "admin", reverse("admin:reviews_itemscore_changelist")),
        ("admin: audit events", "admin", reverse("admin:core_auditevent_changelist")),
        ("admin: change meeting", "admin", reverse("admin:committee_meeting_change", args=[extra["meeting"].pk])),
        ("admin: change notice", "admin", reverse("admin:committee_publicnotice_change", args=[extra["notice"].pk])),
    ]


def cost(client, url):
    client.get(url)  # warm up
    best = None
    for _ in range(3):
        with CaptureQueriesContext(connection) as q:
            t0 = time.perf_counter()
            response = client.get(url)
            seconds = time.perf_counter() - t0
        best = seconds if best is None else min(best, seconds)
    assert response.status_code == 200, (url, response.status_code)
    return {"queries": len(q), "ms": best * 1000, "kb": len(response.content) / 1024}


def export(client, cycle, fmt):
    url = reverse("reviews:export", args=[cycle.pk, fmt])
    t0 = time.perf_counter()
    response = client.get(url)
    size = sum(len(p) for p in response.streaming_content)
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    response = client.get(url)
    for _piece in response.streaming_content:
        pass
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, size / 2**20, peak


@in_every_programme  # the bench builds and reads data itself; its requests run in their users' scope
def main():
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from awards.enums import CycleRole
        from awards.models import CycleMembership
        from core.models import User

        admin = User.objects.create_user(email="bench-admin@example.cn", password="x", is_superuser=True)
        admin.is_staff = True
        admin.save()
        secretary = User.objects.create_user(email="bench-sec@example.cn", password="x")
        experts = User.objects.bulk_create(
            [User(email=f"bench-expert{i}@example.cn", full_name=f"Expert {i}") for i in range(POOL)]
        )
        members = User.objects.bulk_create([User(email=f"bench-cm{i}@example.cn") for i in range(7)])
        clients = {"anonymous": Client()}
        for name, user in (("secretary", secretary), ("admin", admin), ("member", members[0])):
            clients[name] = Client()
            clients[name].force_login(user)
        # Measured in two states of one database: with the small cycle only, then with the big one
        # added (the public pages and the global lists then show what the big cycle adds).
        measured, cycles = {}, {}
        for n, cycle_no in ((N_SMALL, 1), (N_BIG, 2)):
            t0 = time.perf_counter()
            cycle = build(cycle_no, n, experts, secretary)
            CycleMembership.objects.bulk_create(
                [CycleMembership(cycle=cycle, user=m, role=CycleRole.COMMITTEE) for m in members]
            )
            extra = decorate(cycle, secretary)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(f"built {n} applications in {time.perf_counter() - t0:.1f} s")
            measured[n] = [
                (label, cost(clients[persona], url))
                for label, persona, url in pages(cycle, extra)
                if os.environ.get("BENCH_PAGES", "1") != "0"  # BENCH_PAGES=0: the exports only
                and (not ONLY or label.startswith(ONLY))
            ]
            cycles[n] = cycle
        small, big = cycles[N_SMALL], cycles[N_BIG]
        print(f"{'page':32}{'queries':>14}{'ms ' + str(N_SMALL):>10}{'ms ' + str(N_BIG):>10}{'ratio':>7}{'KB':>9}")
        for (label, a), (_label, b) in zip(measured[N_SMALL], measured[N_BIG], strict=True):
            ratio = b["ms"] / a["ms"] if a["ms"] else 0
            print(
                f"{label:32}{a['queries']:>6} → {b['queries']:<5}{a['ms']:>10.1f}{b['ms']:>10.1f}{ratio:>7.2f}"
                f"{b['kb']:>9.1f}"
            )
        for cycle, n in () if ONLY else ((small, N_SMALL), (big, N_BIG)):
            csv_s, csv_mb, csv_peak = export(clients["secretary"], cycle, "csv")
            xlsx_s, xlsx_mb, xlsx_peak = export(clients["secretary"], cycle, "xlsx")
            print(
                f"export {n:>5} applications: CSV {csv_s:.2f} s {csv_mb:.1f} MB peak {csv_peak:.1f} MB · "
                f"XLSX {xlsx_s:.2f} s {xlsx_mb:.1f} MB peak {xlsx_peak:.1f} MB · XLSX/CSV time {xlsx_s / csv_s:.2f}"
            )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()

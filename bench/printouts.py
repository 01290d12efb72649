"""Benchmark: render the printable application and the acceptance receipt (not a test; prints figures).

    DATABASE_URL=sqlite:////tmp/mqa-bench-printouts.sqlite3 .venv/bin/python bench/printouts.py [--runs 10]

Migrates and seeds the demo into DATABASE_URL when it holds no submitted version, then renders
each document of the first current submission RUNS times in this process through the project's
own call (core.pdf, one shared font configuration, as a worker does) and reports the first render,
the median and the slowest of the others, the pages and the size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from core.scopes import in_every_programme  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/mqa-bench-printouts.sqlite3")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="mqa-bench-media-"))
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")


@in_every_programme  # the bench builds and reads data itself; its requests run in their users' scope
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from awards.models import ApplicationSnapshot

    call_command("migrate", verbosity=0)
    if not ApplicationSnapshot.objects.exists():
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    import io

    from pypdf import PdfReader

    from printouts.enums import Document
    from printouts.rendering import printout_pdf

    snapshot = (
        ApplicationSnapshot.objects.select_related("application__cycle")
        .order_by("-application__cycle__year", "pk")
        .first()
    )
    files = len(snapshot.data.get("attachments") or [])
    print(f"submission {snapshot.receipt_number}, {files} files, {args.runs} runs each")
    for document in Document.values:
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            pdf = printout_pdf(snapshot, document)
            times.append(time.perf_counter() - started)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        rest = times[1:] or times
        print(
            f"{document:12} first {times[0]:.2f} s · median {statistics.median(rest):.2f} s · "
            f"max {max(rest):.2f} s · {pages} pages · {len(pdf) / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main()

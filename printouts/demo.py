"""Demo printouts: the printable application and the acceptance receipt of two current submissions,
rendered in-process so the demo has its PDFs whether or not a worker runs (as certificates/demo.py).
The 2017 applications predate submitted versions in the demo, so they have none to print."""

from __future__ import annotations

from awards.models import ApplicationSnapshot
from core.demo import DemoContext

from .enums import Document, PrintStatus
from .models import Printout
from .services import printout_render, printout_request


def seed(ctx: DemoContext) -> None:
    cycle = ctx.cycles["current"]
    snapshots = ApplicationSnapshot.objects.filter(application__cycle=cycle).select_related("application")
    for snapshot in snapshots.order_by("receipt_number", "number")[:2]:
        for document in Document.values:
            printout_request(snapshot=snapshot, document=document, by=ctx.users["secretary"])
    for pk in Printout.objects.exclude(status=PrintStatus.READY).values_list("pk", flat=True):
        printout_render(printout_id=pk)
    for p in Printout.objects.select_related("snapshot__application__enterprise"):
        ent = p.snapshot.application.enterprise
        ctx.log(f"  {p.get_document_display()} {p.snapshot.receipt_number}: {ent} ({p.status})")

from __future__ import annotations

from awards.models import Application, ApplicationSnapshot

from .enums import Document
from .models import Printout


def latest_snapshot(application: Application) -> ApplicationSnapshot | None:
    return application.snapshots.select_related("submitted_by").order_by("-number").first()


def printouts_of(snapshot: ApplicationSnapshot) -> dict[str, Printout | None]:
    found = {p.document: p for p in Printout.objects.filter(snapshot=snapshot)}
    return {d: found.get(d) for d in Document.values}

"""Reads for the printouts. The loaders answer Http404 for what the user may not see, and for
"does not exist" alike."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from awards.models import Application, ApplicationSnapshot
from awards.selectors import application_for
from core.models import User

from .enums import Document
from .models import Printout


def latest_snapshot(application: Application) -> ApplicationSnapshot | None:
    return application.snapshots.select_related("submitted_by").order_by("-number").first()


def printouts_of(snapshot: ApplicationSnapshot) -> dict[str, Printout | None]:
    found = {p.document: p for p in Printout.objects.filter(snapshot=snapshot)}
    return {d: found.get(d) for d in Document.values}


def snapshot_for_print(*, user: User, application_id: int) -> ApplicationSnapshot:
    """The latest submitted version of an application the user may have printed (its enterprise,
    the award office); 404 for anyone else, and while nothing has been submitted."""
    application = application_for(user=user, pk=application_id)
    if not user.has_perm("printouts.print_application", application):
        raise Http404
    snapshot = latest_snapshot(application)
    if snapshot is None:
        raise Http404
    snapshot.application = application
    return snapshot


def printout_for(*, user: User, pk: int) -> Printout:
    """A printout of an application the user may have printed."""
    printout = get_object_or_404(Printout.objects.select_related("snapshot__application"), pk=pk)
    if not user.has_perm("printouts.print_application", printout.snapshot.application):
        raise Http404
    return printout

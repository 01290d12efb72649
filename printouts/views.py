"""The printable application and the acceptance receipt: request, see progress, download."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards.selectors import application_for
from core.errors import ServiceError

from . import selectors, services
from .enums import Document, PrintStatus
from .models import Printout


def _printable(request, application_id):
    """The application for its enterprise and the award office; 404 for everyone else."""
    application = application_for(user=request.user, pk=application_id)
    if not request.user.has_perm("printouts.print_application", application):
        raise Http404
    snapshot = selectors.latest_snapshot(application)
    if snapshot is None:
        raise Http404
    return application, snapshot


@login_required
def printouts(request, application_id):
    """The enterprise and the award office: the PDFs of the latest submitted version."""
    application, snapshot = _printable(request, application_id)
    docs = selectors.printouts_of(snapshot)
    rows = [(d, Document(d).label, docs[d]) for d in Document.values]
    return render(
        request,
        "printouts/printouts.html",
        {
            "application": application,
            "snapshot": snapshot,
            "rows": rows,
            "busy": any(p and p.status in {PrintStatus.PENDING, PrintStatus.RENDERING} for p in docs.values()),
        },
    )


@login_required
@require_POST
def printout_request(request, application_id, document):
    """The enterprise and the award office: ask the worker to render a PDF."""
    application, snapshot = _printable(request, application_id)
    if document not in Document.values:
        raise Http404
    try:
        services.printout_request(snapshot=snapshot, document=document, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The PDF is being prepared; this page shows when it is ready."))
    return redirect("printouts:index", application_id=application.pk)


@login_required
def printout_download(request, printout_id):
    """The enterprise and the award office: a ready PDF."""
    printout = get_object_or_404(Printout.objects.select_related("snapshot__application"), pk=printout_id)
    application = printout.snapshot.application
    if not request.user.has_perm("printouts.print_application", application) or printout.status != PrintStatus.READY:
        raise Http404
    try:
        handle = printout.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = f"{printout.snapshot.receipt_number}-{printout.document}.pdf"
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

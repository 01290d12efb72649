"""The printable application and the acceptance receipt: request, see progress, download."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ServiceError

from . import selectors, services
from .enums import Document, PrintStatus


@login_required
def printouts(request, application_id):
    """The enterprise and the award office: the PDFs of the latest submitted version."""
    snapshot = selectors.snapshot_for_print(user=request.user, application_id=application_id)
    application = snapshot.application
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
    snapshot = selectors.snapshot_for_print(user=request.user, application_id=application_id)
    application = snapshot.application
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
    printout = selectors.printout_for(user=request.user, pk=printout_id)
    if printout.status != PrintStatus.READY:
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

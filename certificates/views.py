from __future__ import annotations

import json
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from awards.models import AwardProgramme
from core import ratelimit
from core.errors import ServiceError
from core.http_cache import fragment_per_state
from core.net import client_address
from core.pagination import paginate
from core.rules import require
from core.scopes import in_every_programme

from . import selectors, services
from .filters import CertificateFilter
from .forms import RevokeForm
from .models import Certificate


@login_required
@require_GET
def office_index(request):
    """Secretaries (their cycles) and admins (all cycles): certificates per cycle."""
    cycles = selectors.cycles_with_certificates_for_office(request.user)
    if not request.user.is_superuser and not cycles:
        raise PermissionDenied
    return render(request, "certificates/index.html", {"cycles": cycles})


@login_required
@require_GET
def cycle_certificates(request, cycle_id: int):
    """The cycle's secretary and admins: the certificates (paged, filtered) and the batch's progress."""
    cycle = selectors.cycle_for_office(user=request.user, pk=cycle_id)
    filters = CertificateFilter(request.GET, queryset=selectors.certificates_of_cycle(cycle))
    page = paginate(request, filters.qs)
    return render(
        request,
        "certificates/cycle.html",
        {
            "cycle": cycle,
            "progress": selectors.cycle_progress(cycle),
            "form": filters.form,
            "certificates": page,
            "page": page,
        },
    )


@login_required
@require_GET
def cycle_progress_fragment(request, cycle_id: int):
    """The cycle's secretary and admins: the batch's counts, polled by htmx while it runs. Only the
    counts: when the batch has finished, htmx reloads the page once so the list shows the results."""
    cycle = selectors.cycle_for_office(user=request.user, pk=cycle_id)
    progress = selectors.cycle_progress(cycle)
    response = render(request, "certificates/_progress.html", {"cycle": cycle, "progress": progress})
    if not progress.running and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def cycle_issue(request, cycle_id: int):
    """The cycle's secretary and admins: issue certificates to awarded applications without one."""
    cycle = selectors.cycle_for_office(user=request.user, pk=cycle_id)
    created = services.certificates_issue_for_cycle(cycle=cycle, by=request.user)
    if created:
        messages.success(
            request,
            ngettext(
                "%(n)d certificate issued; rendering has started.",
                "%(n)d certificates issued; rendering has started.",
                len(created),
            )
            % {"n": len(created)},
        )
    else:
        messages.info(request, _("Every awarded application already has its certificate."))
    return redirect("certificates:cycle", cycle_id=cycle.pk)


@login_required
@require_POST
def cycle_regenerate(request, cycle_id: int):
    """The cycle's secretary and admins: render all certificates again (refused while a batch runs)."""
    cycle = selectors.cycle_for_office(user=request.user, pk=cycle_id)
    try:
        n = services.certificates_regenerate(cycle=cycle, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext("%(n)d certificate is being rendered again.", "%(n)d certificates are being rendered again.", n)
            % {"n": n},
        )
    return redirect("certificates:cycle", cycle_id=cycle.pk)


@login_required
@require_POST
def certificate_retry_view(request, pk: int):
    """The cycle's secretary and admins: render a failed certificate again."""
    certificate = selectors.certificate_for(user=request.user, pk=pk)
    require("certificates.manage_certificates", request.user, certificate.cycle)  # the winner sees it, the office acts
    try:
        services.certificate_retry(certificate=certificate, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Certificate %(serial)s is being rendered again.") % {"serial": certificate.serial})
    return redirect("certificates:cycle", cycle_id=certificate.cycle_id)


@login_required
def certificate_revoke_view(request, pk: int):
    """The cycle's secretary and admins: revoke a certificate (and its award) with a reason."""
    certificate = selectors.certificate_for(user=request.user, pk=pk)
    require("certificates.manage_certificates", request.user, certificate.cycle)  # the winner sees it, the office acts
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(certificate=certificate, by=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Certificate %(serial)s has been revoked.") % {"serial": certificate.serial})
            return redirect("certificates:cycle", cycle_id=certificate.cycle_id)
    return render(request, "certificates/revoke.html", {"certificate": certificate, "form": form})


def download_filename(certificate: Certificate) -> str:
    name = certificate.application.official_name
    parts = [str(certificate.cycle.year), certificate.application.level_name_zh, name, certificate.serial]
    return "-".join(p.replace("/", "_").replace("\\", "_").strip() for p in parts) + ".pdf"


@login_required
@require_GET
def certificate_download(request, pk: int):
    """Members of the winning enterprise, the cycle's secretary and admins; anyone else gets 404."""
    certificate = selectors.certificate_for(user=request.user, pk=pk)
    if not certificate.is_downloadable:
        raise Http404
    try:
        handle = certificate.file.open("rb")
    except FileNotFoundError:
        raise Http404
    filename = download_filename(certificate)
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{certificate.serial}.pdf\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _rate_limited(request) -> bool:
    """At most CERTIFICATE_VERIFY_RATE_LIMIT look-ups per address per minute."""
    return ratelimit.exceeded(
        "certificates-verify", client_address(request), limit=settings.CERTIFICATE_VERIFY_RATE_LIMIT, window=60
    )


class _UnknownCode(Exception):
    pass


@in_every_programme  # public: its selectors show published rows of any programme
@require_GET
def verify(request, code: str):
    """Anyone: is this certificate genuine? Unknown or malformed codes get a plain 404."""
    if _rate_limited(request):
        response = render(request, "certificates/verify_limited.html", status=429)
        response["Retry-After"] = "60"
        return response

    def content() -> str:
        certificate = selectors.certificate_by_code(code)
        if certificate is None:
            raise _UnknownCode
        earlier = selectors.earlier_names_of(certificate)
        html = render_to_string(
            "certificates/_verify.html", {"certificate": certificate, "earlier_names": earlier}, request
        )
        # The page's header and footer name the award as the certificate states it (stored at issue)
        # and link to its programme's pages.
        programme = certificate.cycle.programme
        header = {"pk": programme.pk, "slug": programme.slug}
        header |= {"name_zh": certificate.award_name_zh, "name_en": certificate.award_name_en}
        return json.dumps({"html": html, "programme": header})

    # The same answer for everyone until something is recorded (a revocation, an approved name
    # change, an admin edit): made once per state and kept in the cache, see core.http_cache.
    try:
        kept = json.loads(fragment_per_state(request, "verify", content))
    except _UnknownCode:
        response = render(request, "certificates/verify_not_found.html", status=404)
    else:
        response = render(
            request,
            "certificates/verify.html",
            # For display only: never saved.
            {"content": mark_safe(kept["html"]), "programme": AwardProgramme(**kept["programme"])},  # noqa: S308 -- rendered by a template, escaped there
        )
    response["X-Robots-Tag"] = "noindex"  # verification pages are for people holding the certificate
    return response

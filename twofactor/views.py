"""The second factor: set up an authenticator app, recovery codes, and the code asked after the password."""

from __future__ import annotations

import base64

import rules
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from core.errors import ServiceError

from . import selectors, services
from .forms import CodeForm
from .middleware import state_forget

SESSION_NEW_CODES = "twofactor.new_codes"


def _deny_unless_allowed(user) -> None:
    if not rules.has_perm("twofactor.use", user):
        raise PermissionDenied


def _safe_next(request, default: str = "core:dashboard") -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


@login_required
def overview(request):
    """Admins, secretaries, experts, committee members: whether it is on, recovery codes left, actions."""
    _deny_unless_allowed(request.user)
    context = {
        "status": selectors.twofactor_status(request.user),
        "required": rules.has_perm("twofactor.required", request.user),
        "new_codes": request.session.pop(SESSION_NEW_CODES, None),
    }
    return render(request, "twofactor/overview.html", context)


@login_required
def setup(request):
    """The same people: scan the key (QR code or typed secret), then confirm with a code from the app."""
    _deny_unless_allowed(request.user)
    if selectors.totp_device(request.user) is not None:
        return redirect("twofactor:overview")
    form = CodeForm(request.POST or None)
    device = selectors.totp_device(request.user, confirmed=False)
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            device, codes = services.totp_setup_confirm(user=request.user, token=form.cleaned_data["code"])
        except ServiceError as exc:
            form.add_error("code", exc.message)
        else:
            otp_login(request, device)
            state_forget(request)
            request.session[SESSION_NEW_CODES] = codes
            messages.success(request, _("Two-factor log-in is on. Keep the recovery codes below somewhere safe."))
            return redirect("twofactor:overview")
    if device is None:
        device = services.totp_setup_begin(user=request.user)
    form.fields["code"].widget.attrs["inputmode"] = "numeric"
    secret = base64.b32encode(device.bin_key).decode()
    url = device.config_url
    context = {
        "form": form,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=2),
    }
    return render(request, "twofactor/setup.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def recovery_codes(request):
    """People with two-factor log-in on: new recovery codes, shown once."""
    _deny_unless_allowed(request.user)
    try:
        request.session[SESSION_NEW_CODES] = services.recovery_codes_regenerate(user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("New recovery codes: the earlier ones no longer work."))
    return redirect("twofactor:overview")


@login_required
@require_POST
def disable(request):
    """Experts and committee members who turned it on (never where a role requires it)."""
    _deny_unless_allowed(request.user)
    try:
        services.twofactor_disable(user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        state_forget(request)
        messages.success(request, _("Two-factor log-in is off."))
    return redirect("twofactor:overview")


@login_required
def verify(request):
    """Anyone signed in with a password whose account has a second factor: the code, then onwards."""
    user = request.user
    if not selectors.twofactor_enabled(user) or user.is_verified():
        state_forget(request)  # e.g. an admin removed the device meanwhile
        return redirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is None:
            form.add_error("code", _("The code is not right. Try the next code from the app, or a recovery code."))
        else:
            otp_login(request, device)
            if device.name == selectors.RECOVERY_NAME:
                left = selectors.twofactor_status(user).recovery_codes_left
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)s are left. Make new ones on the two-factor page.")
                    % {"left": left},
                )
            return redirect(_safe_next(request))
    return render(
        request,
        "twofactor/verify.html",
        {"form": form, "next": _safe_next(request, "")},
        status=400 if form.errors else 200,
    )

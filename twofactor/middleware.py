"""Ask for the second factor after the password, and send those who must use one to its set-up."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import rules
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import twofactor_enabled

# Pages a signed-in person reaches before the second factor: the factor's own pages and leaving.
ALWAYS_OPEN = {
    "logout",
    "core:language",
    "core:healthz",
    "core:favicon",
    "core:dev_mail",
    "core:dev_mail_detail",
    "twofactor:verify",
}
SETUP_PAGES = {"twofactor:overview", "twofactor:setup", "twofactor:recovery_codes"}


SESSION_STATE = "twofactor.state"
STATE_TTL = 300  # seconds a "nothing to ask" answer is trusted before it is checked again


def state_store(request, user) -> str:
    """Work out and keep in the session what this person is asked: 'verify' (has a device), 'setup' (must
    set one up) or 'none'. Done at log-in (twofactor.apps), so an ordinary page costs no query."""
    if twofactor_enabled(user):
        state = "verify"
    elif rules.has_perm("twofactor.required", user):
        state = "setup"
    else:
        state = "none"
    request.session[SESSION_STATE] = (state, int(time.time()))
    return state


def _state(request) -> str:
    cached = request.session.get(SESSION_STATE)
    # "none" is checked again now and then: a role or MFA_REQUIRED may have changed since log-in.
    if cached and (cached[0] != "none" or int(time.time()) - cached[1] < STATE_TTL):
        return cached[0]
    return state_store(request, request.user)


def state_forget(request) -> None:
    """After the person's devices changed (set up, turned off, or gone): work it out again."""
    request.session.pop(SESSION_STATE, None)


class TwoFactorMiddleware:
    """After django_otp.middleware.OTPMiddleware. A person with a confirmed device is asked for a code
    on every page until they give one; a person whose role requires it (admins, secretaries, when
    MFA_REQUIRED) is sent to set it up first. Covers the Django admin too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, _view_func, _view_args, _view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name in ALWAYS_OPEN:
            return None
        state = _state(request)
        if state == "verify":
            return redirect(f"{reverse('twofactor:verify')}?{urlencode({'next': request.get_full_path()})}")
        if state == "setup" and name not in SETUP_PAGES:
            messages.info(request, _("Your role requires two-factor log-in. Set it up to continue."))
            return redirect("twofactor:setup")
        return None

import logging

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from . import ratelimit
from .net import client_address

log = logging.getLogger(__name__)

PASSWORD_RESET_WINDOW = 3600  # seconds


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending at most PASSWORD_RESET_RATE_LIMIT_ACCOUNT links an hour to one account
    and answering at most PASSWORD_RESET_RATE_LIMIT_ADDRESS requests an hour from one client address.
    Over a limit nothing is sent and the page answers as usual, so it tells nobody whether an address
    has an account."""

    def save(self, *args, request=None, **kwargs):
        email = self.cleaned_data["email"].strip().lower()
        ip = client_address(request) if request is not None else None
        by_address = ratelimit.exceeded(
            "password-reset-ip", ip, limit=settings.PASSWORD_RESET_RATE_LIMIT_ADDRESS, window=PASSWORD_RESET_WINDOW
        )
        by_account = ratelimit.exceeded(
            "password-reset-account",
            email,
            limit=settings.PASSWORD_RESET_RATE_LIMIT_ACCOUNT,
            window=PASSWORD_RESET_WINDOW,
        )
        if by_address or by_account:
            log.warning("password reset throttled (%s)", "address" if by_address else "account")
            return
        super().save(*args, request=request, **kwargs)

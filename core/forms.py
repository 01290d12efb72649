import logging

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from core.text import TEXT_LONG, TEXT_MEDIUM, TEXT_SHORT, visible_text

from . import ratelimit
from .net import client_address

log = logging.getLogger(__name__)

PASSWORD_RESET_WINDOW = 3600  # seconds

__all__ = [
    "TEXT_LONG",
    "TEXT_MEDIUM",
    "TEXT_SHORT",
    "EmailAuthenticationForm",
    "NameField",
    "ThrottledPasswordResetForm",
]


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        max_length=254,
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
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


class NameField(forms.CharField):
    """A person's name: NFKC-normalised, without invisible or control characters.

    A value made only of such characters (a zero-width space, say) counts as empty, so a required
    name is refused with the field's "required" message.
    """

    def __init__(self, *, max_length=100, **kwargs):
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        return visible_text(super().to_python(value))

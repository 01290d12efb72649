from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.text import TEXT_LONG, TEXT_MEDIUM, TEXT_SHORT, visible_text

__all__ = ["TEXT_LONG", "TEXT_MEDIUM", "TEXT_SHORT", "EmailAuthenticationForm", "NameField"]


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        max_length=254,
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class NameField(forms.CharField):
    """A person's name: NFKC-normalised, without invisible or control characters.

    A value made only of such characters (a zero-width space, say) counts as empty, so a required
    name is refused with the field's "required" message.
    """

    def __init__(self, *, max_length=100, **kwargs):
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        return visible_text(super().to_python(value))

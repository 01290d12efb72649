"""Forms validate what people type; services make the changes."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.enums import Language
from core.forms import NameField
from core.models import User

from .enums import MemberRole
from .models import Enterprise
from .services import PROFILE_FIELDS, duplicate_code_message
from .validators import district_error, division_error, normalize_credit_code, validate_credit_code

# A district code not in the division data (a tampered or outdated form): said next to the field.
INVALID_DISTRICT = _("%(value)s is not a district or county of Hunan province: please choose one from the list.")


class RegistrationForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to this address to confirm it is yours."),
    )
    full_name = NameField(label=_("Full name"), widget=forms.TextInput(attrs={"autocomplete": "name"}))
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=Language.choices,
        initial=Language.ZH_HANS,
        help_text=_("The language of the pages and of the e-mails we send you."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, throttled: bool = False, **kwargs):
        # Throttled: refuse without saying anything about the address (whether it has an account).
        self.throttled = throttled
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        # Whether the address already has an account is never said here: the service mails that account.
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        if self.throttled:
            raise ValidationError(
                _("Too many registrations from your network address in the last hour. Please try again later."),
                code="rate_limited",
            )
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            probe = User(email=data.get("email") or "", full_name=data.get("full_name") or "")
            try:
                validate_password(p1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EnterpriseForm(forms.ModelForm):
    """The profile. On creation it includes the credit code, checked rule by rule."""

    class Meta:
        model = Enterprise
        fields = ("credit_code", *PROFILE_FIELDS)
        widgets = {
            "founded_on": DateInput(),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        help_texts = {
            "credit_code": _(
                "The 18 characters on the business licence (统一社会信用代码). Letters may be typed in lower case."
            ),
            "employees": _("Number of employees at the end of last year."),
        }

    def __init__(self, *args, creating: bool = True, identity_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if identity_locked:
            # An application past draft holds these names of record: they change by request only.
            for name in ("name_zh", "name_en"):
                self.fields[name].disabled = True
        if creating:
            # Validated in clean_credit_code (once, with the rule that failed), not by the model field too.
            self.fields["credit_code"].validators = []
            self.fields["credit_code"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        else:
            del self.fields["credit_code"]
        self.fields["name_zh"].help_text = _("As on the business licence.")
        self.fields["district"].error_messages["invalid_choice"] = INVALID_DISTRICT

    def clean_credit_code(self) -> str:
        code = normalize_credit_code(self.cleaned_data.get("credit_code", ""))
        validate_credit_code(code)
        if message := division_error(code):
            raise ValidationError(message, code="division_outside")
        if Enterprise.objects.filter(credit_code=code).exists():
            raise ValidationError(duplicate_code_message(code), code="duplicate")
        return code

    def clean(self):
        data = super().clean()
        if not data.get("name_zh") and not data.get("name_en"):
            self.add_error("name_zh", _("Please give the enterprise's name."))
        code = data.get("credit_code") if "credit_code" in self.fields else self.instance.credit_code
        if code and "district" not in self.errors:
            check_district(self, code, data.get("district", ""))
        return data

    def validate_unique(self):
        # The credit code's uniqueness is checked in clean_credit_code with a helpful message.
        pass

    def profile(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}


def check_district(form: forms.Form, code: str, district: str) -> None:
    """The district must be in the division the credit code's division code names (see district_error)."""
    if message := district_error(code, district):
        form.add_error("district", message)


class NameChangeForm(forms.Form):
    """What the owner asks the award office to change: the names, the credit code, and why."""

    name_zh = forms.CharField(label=_("Chinese name"), max_length=200, required=False)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: renamed by the registration authority on a given date; attach nothing here."),
    )

    def clean_credit_code(self) -> str:
        code = normalize_credit_code(self.cleaned_data.get("credit_code", ""))
        validate_credit_code(code)
        if code != normalize_credit_code(self.initial.get("credit_code", "")) and (message := division_error(code)):
            raise ValidationError(message, code="division_outside")
        return code

    def clean(self):
        data = super().clean()
        if not data.get("name_zh") and not data.get("name_en"):
            self.add_error("name_zh", _("Please give the enterprise's name."))
        return data


class NameChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the change")), ("refuse", _("Refuse the change"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a refusal; the enterprise's owners receive it by e-mail."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Please give the reason for the refusal."))
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(max_length=254, label=_("Colleague's e-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MemberRole.choices,
        initial=MemberRole.EDITOR,
        help_text=_("Editors fill in applications; owners also manage the profile and the members."),
    )
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=Language.choices, initial=Language.ZH_HANS)

"""Forms for expert review: they validate input and never change state."""

from __future__ import annotations

import re
import zoneinfo
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import TEXT_LONG, TEXT_MEDIUM, NameField
from enterprises import divisions
from enterprises.enums import Industry
from enterprises.forms import INVALID_DISTRICT
from enterprises.validators import validate_credit_code

from .enums import RATING_CHOICES
from .scoring import PERCENT_CHOICES
from .stage_windows import round_outside

# China first; then every IANA zone, for experts who work from abroad.
TIME_ZONE_CHOICES = (
    [("Asia/Shanghai", "Asia/Shanghai")]
    + [(z, z) for z in sorted(zoneinfo.available_timezones()) if z != "Asia/Shanghai" and "/" in z]
    + [("UTC", "UTC")]
)


class ExpertProfileForm(forms.Form):
    title = forms.CharField(label=_("Professional title"), max_length=100, required=False)
    employer = forms.CharField(label=_("Employer"), max_length=200, required=False)
    employer_credit_code = forms.CharField(
        label=_("Employer's unified social credit code"),
        max_length=18,
        required=False,
        help_text=_("Leave blank if your employer has none (e.g. you are retired)."),
    )
    industries = forms.MultipleChoiceField(
        label=_("Fields of expertise"), choices=Industry.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    district = forms.ChoiceField(
        label=_("District or county"),
        choices=divisions.district_choices_or_none,
        required=False,
        error_messages={"invalid_choice": INVALID_DISTRICT},
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TIME_ZONE_CHOICES,
        initial="Asia/Shanghai",
        required=False,
        help_text=_("Deadlines in the e-mails you receive are given in this time zone."),
    )
    past_clients = forms.CharField(
        label=_("Past consulting clients"),
        max_length=TEXT_LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "One per line: the client's credit code, then its name. You will never be assigned to review them."
        ),
    )

    def clean_time_zone(self):
        # Left out of the form: keep the zone on record (services.expert_profile_save).
        return self.cleaned_data["time_zone"] or None

    def clean_employer_credit_code(self):
        code = self.cleaned_data["employer_credit_code"].strip().upper()
        if code:
            validate_credit_code(code)
        return code

    def clean_past_clients(self):
        clients, errors = [], []
        for n, line in enumerate(self.cleaned_data["past_clients"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            parts = re.split(r"[\s,，;；]+", line, maxsplit=1)
            code = parts[0].upper()
            try:
                validate_credit_code(code)
            except ValidationError:
                errors.append(_("Line %(n)s: “%(code)s” is not a valid credit code.") % {"n": n, "code": parts[0]})
                continue
            clients.append((code, parts[1].strip() if len(parts) > 1 else code))
        if errors:
            raise ValidationError(errors)
        return clients


class DeclarationForm(forms.Form):
    CHOICES = [
        ("none", _("I have no conflict of interest with this enterprise.")),
        ("conflict", _("I have a conflict of interest and must recuse myself.")),
    ]
    declaration = forms.ChoiceField(label=_("Declaration"), choices=CHOICES, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason for the conflict"),
        max_length=TEXT_MEDIUM,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("E.g. employer, consulting work, a relative working there."),
    )

    def clean(self):
        data = super().clean()
        if data.get("declaration") == "conflict" and not data.get("reason", "").strip():
            self.add_error("reason", _("Please say what ties you to this enterprise."))
        return data


def sheet_post(post, categories) -> tuple[dict[int, str], dict[int, tuple[str, str]], str]:
    """The sheet's typed values: item id → raw percentage, category id → (strengths, opportunities)."""
    scores, feedback = {}, {}
    for cat in categories:
        for row in cat.items:
            key = f"item-{row.item.pk}"
            if key in post:
                scores[row.item.pk] = post.get(key, "")
        feedback[cat.category.pk] = (
            post.get(f"strengths-{cat.category.pk}", ""),
            post.get(f"opportunities-{cat.category.pk}", ""),
        )
    return scores, feedback, post.get("overall_comment", "")


class ConsensusForm(forms.Form):
    percent = forms.TypedChoiceField(label=_("Consensus percentage"), choices=PERCENT_CHOICES, coerce=int)
    rationale = forms.CharField(label=_("Rationale"), max_length=TEXT_MEDIUM, widget=forms.Textarea(attrs={"rows": 3}))


class RoundForm(forms.Form):
    opens_at = forms.DateTimeField(
        label=_("Scoring opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    closes_at = forms.DateTimeField(
        label=_("Scoring closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    def __init__(self, *args, stage=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage  # the cycle's stage the round runs in (its window), if configured
        if stage is not None and (stage.starts_on or stage.ends_on):
            self.fields["opens_at"].help_text = _("The “%(stage)s” stage runs %(starts)s → %(ends)s.") % {
                "stage": stage.get_kind_display(),
                "starts": stage.starts_on.isoformat() if stage.starts_on else "…",
                "ends": stage.ends_on.isoformat() if stage.ends_on else "…",
            }

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("A round must close after it opens."))
        elif data.get("opens_at") and data.get("closes_at"):
            outside = round_outside(self.stage, data["opens_at"], data["closes_at"])
            if outside:
                end, message = outside
                self.add_error("opens_at" if end == "opens" else "closes_at", message)
        return data


class PanelForm(forms.Form):
    experts = forms.MultipleChoiceField(label=_("Experts"), widget=forms.CheckboxSelectMultiple)
    leader = forms.ChoiceField(label=_("Panel leader"))

    def __init__(self, *args, experts, size, notes=None, **kwargs):
        super().__init__(*args, **kwargs)
        notes = notes or {}
        choices = [(str(e.pk), f"{e} · {notes[e.pk]}" if notes.get(e.pk) else str(e)) for e in experts]
        self.fields["experts"].choices = choices
        self.fields["leader"].choices = [("", "—"), *choices]
        self.fields["experts"].help_text = _("The cycle asks for %(n)s experts per panel.") % {"n": size}

    def clean(self):
        data = super().clean()
        if data.get("leader") and data.get("experts") and data["leader"] not in data["experts"]:
            self.add_error("leader", _("The panel leader must be one of the panel's experts."))
        return data


class AutoAssignForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Seed"),
        initial=0,
        min_value=0,
        help_text=_("The same seed always gives the same panels; another seed gives another fair draw."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=TEXT_MEDIUM, widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    MODES = [("top_n", _("The top N")), ("threshold", _("Everyone at or above a score"))]
    mode = forms.ChoiceField(label=_("Who moves on"), choices=MODES, widget=forms.RadioSelect, initial="top_n")
    top_n = forms.IntegerField(label=_("N"), min_value=1, required=False)
    threshold = forms.DecimalField(
        label=_("Score threshold"), min_value=Decimal(0), max_value=Decimal(1000), decimal_places=2, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("mode") == "top_n" and not data.get("top_n"):
            self.add_error("top_n", _("Enter how many applications move on."))
        if data.get("mode") == "threshold" and data.get("threshold") is None:
            self.add_error("threshold", _("Enter the score threshold."))
        return data


class InviteForm(forms.Form):
    expert = forms.ChoiceField(label=_("Expert from the pool"), required=False)
    email = forms.EmailField(
        max_length=254,
        label=_("Or a new expert's e-mail address"),
        required=False,
        help_text=_("A new account is opened; the e-mail tells the expert how to set a password."),
    )
    full_name = NameField(label=_("New expert's full name"), required=False)

    def __init__(self, *args, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [("", "—")] + [
            (str(p.user_id), f"{p.user} · {p.title} · {p.employer}".strip(" ·")) for p in profiles
        ]

    def clean(self):
        data = super().clean()
        if not data.get("expert") and not data.get("email"):
            raise forms.ValidationError(_("Choose an expert from the pool or enter a new expert's e-mail address."))
        if data.get("email") and not data.get("full_name", "").strip():
            self.add_error("full_name", _("Enter the new expert's name."))
        return data


class ExpertRatingForm(forms.Form):
    """The rating of an expert's work in a round: three marks from 1 to 5 and an optional note."""

    timeliness = forms.TypedChoiceField(
        label=_("Timeliness"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("Declared conflicts and submitted the sheets on time."),
    )
    comments = forms.TypedChoiceField(
        label=_("Quality of comments"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("Strengths and opportunities that are specific, evidenced and useful to the enterprise."),
    )
    conduct = forms.TypedChoiceField(
        label=_("Conduct"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("Confidentiality, independence, courtesy in the panel and on site."),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=TEXT_MEDIUM,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At most 2,000 characters. The expert reads the note, not who wrote it."),
    )

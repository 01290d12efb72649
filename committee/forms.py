"""Forms validate input only; services change state."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.conf import settings
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import TEXT_LONG, TEXT_MEDIUM, NameField
from core.uploads import validate_upload

from .enums import ObjectionStatus, VoteChoice

# An objection states facts, not a dossier: evidence goes in the attached file.
OBJECTION_REASONS_MAX = 5000

_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{6,19}$")


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    notes = forms.CharField(
        label=_("Notes for the members"), max_length=TEXT_LONG, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("New date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, help_text=_("E-mailed to every member."))


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"), max_length=300, help_text=_("E-mailed to every member.")
    )


class NoticePeriodForm(forms.Form):
    ends_on = forms.DateField(
        label=_("The notice ends on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Objections are accepted until the end of this day."),
    )
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=300, help_text=_("Shown on the public notice page.")
    )


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Members present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    at = forms.TimeField(
        label=_("Time of the arrivals and departures"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Leave empty for now."),
    )

    def at_datetime(self):
        """The time given today (Asia/Shanghai), or None for now."""
        t = self.cleaned_data.get("at")
        if t is None:
            return None
        return timezone.make_aware(dt.datetime.combine(timezone.localdate(), t))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (m.user_id, f"{m.user.get_full_name()}{' · ' + m.unit if m.unit else ''}") for m in members
        ]


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=VoteChoice.choices, widget=forms.RadioSelect)


class RecusalForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the recusal"), max_length=300)
    member = forms.TypedChoiceField(label=_("Member"), coerce=int, required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["member"]
        else:
            self.fields["member"].required = True
            self.fields["member"].choices = [(m.user_id, m.user.get_full_name()) for m in members]


class RemarkForm(forms.Form):
    """A remark, about the meeting or one candidate: offered are the candidates shown on the page;
    a posted form is checked against the one candidate it names."""

    text = forms.CharField(
        label=_("Suggestion or remark"), max_length=TEXT_MEDIUM, widget=forms.Textarea(attrs={"rows": 3})
    )
    member = forms.TypedChoiceField(label=_("Made by"), coerce=int, required=False, empty_value=None)
    application = forms.TypedChoiceField(label=_("About the candidate"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, members=(), ballots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", _("The committee as a whole"))] + [
            (m.user_id, m.user.get_full_name()) for m in members
        ]
        self.fields["application"].choices = [("", _("General"))] + [
            (b.application_id, b.application.display_name) for b in ballots
        ]


class RankForm(forms.Form):
    """One rank field per ballot of a page of the agenda: the candidates' order for the award levels.
    The page's rows only; a posted form names its ballots (`posted_ballot_ids(data, "rank_")`)."""

    def __init__(self, *args, ballots=(), **kwargs):
        super().__init__(*args, **kwargs)
        for b in ballots:
            self.fields[f"rank_{b.pk}"] = forms.IntegerField(
                label=b.application.display_name, min_value=1, max_value=999, initial=b.rank
            )

    def ranks(self) -> dict[int, int]:
        return {int(k.split("_")[1]): v for k, v in self.cleaned_data.items()}


class TieForm(forms.Form):
    def __init__(self, *args, ballots=(), **kwargs):
        super().__init__(*args, **kwargs)
        for b in ballots:
            self.fields[f"order_{b.pk}"] = forms.IntegerField(
                label=b.application.display_name, min_value=1, max_value=len(ballots)
            )

    def order(self) -> dict[int, int]:
        return {int(k.split("_")[1]): v for k, v in self.cleaned_data.items()}

    @staticmethod
    def posted_ballot_ids(data) -> set[int]:
        """The ballots a posted tie form names (fields order_<ballot id>); malformed names are ignored."""
        return posted_ballot_ids(data, "order_")


def posted_ballot_ids(data, prefix: str) -> set[int]:
    """Ballot ids from posted field names `<prefix><ballot id>`; malformed names are ignored."""
    ids = set()
    for key in data:
        number = key.removeprefix(prefix)
        if number != key and number.isascii() and number.isdigit() and len(number) < 19:
            ids.add(int(number))
    return ids


def validate_contact(value: str) -> None:
    value = value.strip()
    if _PHONE.match(value):
        return
    try:
        validate_email(value)
    except forms.ValidationError:
        raise forms.ValidationError(_("Give a telephone number or an e-mail address where we can reach you.")) from None


class ObjectionForm(forms.Form):
    application = forms.TypedChoiceField(label=_("Candidate concerned"), coerce=int)
    name = NameField(
        label=_("Your real name"),
        error_messages={"required": _("Anonymous objections are not accepted: please give your real name.")},
    )
    contact = forms.CharField(
        label=_("Telephone or e-mail"),
        max_length=200,
        validators=[validate_contact],
        error_messages={"required": _("Anonymous objections are not accepted: please give a telephone or e-mail.")},
    )
    reasons = forms.CharField(
        label=_("Facts and reasons"),
        max_length=OBJECTION_REASONS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("State the facts your objection rests on, as precisely as you can."),
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"), required=False, help_text=_("A PDF, JPEG or PNG file, up to 20 MB.")
    )

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", "—")] + [(a.pk, a.display_name) for a in applications]

    def clean_evidence(self):
        f = self.cleaned_data.get("evidence")
        if f:
            validate_upload(f, max_bytes=settings.ATTACHMENT_MAX_BYTES)
        return f


class ObjectionHandleForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in ObjectionStatus.choices if c[0] != ObjectionStatus.OPEN],
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(
        label=_("Reply to the objector"), max_length=TEXT_LONG, widget=forms.Textarea(attrs={"rows": 4})
    )


class ConfirmForm(forms.Form):
    decree_number = forms.CharField(label=_("Government document number"), max_length=100)
    decree_date = forms.DateField(label=_("Document date"), widget=forms.DateInput(attrs={"type": "date"}))

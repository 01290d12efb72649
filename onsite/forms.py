"""Forms of the on-site workbench: they validate input; services change state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import Finding, IssueKind, LogKind, PlanEntryKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class FlagForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("To do on site"),
        required=False,
        choices=[("", _("No flag"))] + list(IssueKind.choices),
    )
    note = forms.CharField(
        label=_("What to look at"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") and not (data.get("note") or "").strip():
            self.add_error("note", _("Say what the team should look at on site."))
        return data


class DatesForm(forms.Form):
    starts_on = forms.DateField(label=_("First day of the visit"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Last day of the visit"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return data


class PlanEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanEntryKind.choices)
    starts_at = forms.DateTimeField(
        label=_("Time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    title = forms.CharField(label=_("What"), max_length=200)
    detail = forms.CharField(label=_("Where / who"), max_length=300, required=False)


class IssueForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=None)
    kind = forms.ChoiceField(label=_("To do on site"), choices=IssueKind.choices)
    text = forms.CharField(label=_("Issue"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class LogForm(forms.Form):
    issue = forms.ModelChoiceField(label=_("Issue"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=LogKind.choices, widget=forms.RadioSelect)
    subject = forms.CharField(label=_("Document or person"), max_length=200)
    notes = forms.CharField(label=_("What was found"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(
        label=_("Photos and files"),
        required=False,
        help_text=_("JPEG, PNG or PDF; up to five. Take a photo with the phone's camera or choose a file."),
    )

    def __init__(self, *args, issues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issue"].queryset = issues
        self.fields["issue"].label_from_instance = lambda i: f"{i.item.code} · {i.get_kind_display()}: {i.text[:60]}"


class ConsensusForm(forms.Form):
    finding = forms.ChoiceField(label=_("Finding"), choices=Finding.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Agreed statement"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    summary = forms.CharField(
        label=_("Closing-meeting summary"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The enterprise receives this summary by e-mail and reads it with its application."),
    )

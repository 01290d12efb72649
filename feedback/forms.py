"""Forms validate input; the services decide. Field names match the services' error keys."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ACTION_MAX, REASON_MAX, TEXT_MAX, THEMES_MAX

_AREA = {"rows": 5}


class ReportForm(forms.Form):
    """Per category strengths and opportunities, then the key themes and site-visit findings."""

    def __init__(self, *args, categories=(), show_findings=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.category_rows = []
        for rc in categories:
            s_name, o_name = f"strengths_{rc.category_id}", f"opportunities_{rc.category_id}"
            self.fields[s_name] = forms.CharField(
                label=_("Strengths"),
                required=False,
                strip=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs=_AREA),
                initial=rc.strengths,
            )
            self.fields[o_name] = forms.CharField(
                label=_("Opportunities for improvement"),
                required=False,
                strip=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs=_AREA),
                initial=rc.opportunities,
                help_text=_("One opportunity per line: a returning applicant answers each."),
            )
            self.category_rows.append((rc, s_name, o_name))
        self.fields["key_themes"] = forms.CharField(
            label=_("Key themes across categories"),
            required=False,
            strip=False,
            max_length=THEMES_MAX,
            widget=forms.Textarea(attrs=_AREA),
        )
        if show_findings:
            self.fields["site_findings"] = forms.CharField(
                label=_("Site-visit findings"),
                required=False,
                strip=False,
                max_length=THEMES_MAX,
                widget=forms.Textarea(attrs=_AREA),
            )

    def category_texts(self) -> dict[int, tuple[str, str]]:
        return {
            rc.category_id: (self.cleaned_data.get(s, ""), self.cleaned_data.get(o, ""))
            for rc, s, o in self.category_rows
        }


class ApproveForm(forms.Form):
    accurate = forms.BooleanField(label=_("The text is accurate: it matches the experts' findings."), required=False)
    actionable = forms.BooleanField(label=_("Each opportunity is actionable."), required=False)
    anonymous = forms.BooleanField(label=_("No expert and no other applicant is named."), required=False)
    release_on = forms.DateField(
        label=_("Release date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("By default the day after the cycle's public notice closes."),
    )


class ReleaseDateForm(forms.Form):
    release_on = forms.DateField(label=_("Release date"), widget=forms.DateInput(attrs={"type": "date"}))


class ReturnForm(forms.Form):
    office_note = forms.CharField(
        label=_("What the panel leader should change"), max_length=REASON_MAX, widget=forms.Textarea(attrs=_AREA)
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction (the enterprise is told)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs=_AREA),
    )


class OpportunitiesForm(forms.Form):
    """Per opportunity of the previous report: what was done since."""

    def __init__(self, *args, opportunities=(), **kwargs):
        kwargs.setdefault("label_suffix", "")  # the label is the opportunity's own sentence
        super().__init__(*args, **kwargs)
        self.rows = []
        for o in opportunities:
            name = f"action_{o.source.pk}_{o.number}"
            self.fields[name] = forms.CharField(
                label=o.text,
                required=False,
                max_length=ACTION_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=o.action_taken,
            )
            self.rows.append((o, name))

    def answers(self) -> dict[tuple[int, int], str]:
        return {(o.source.pk, o.number): self.cleaned_data.get(name, "") for o, name in self.rows}

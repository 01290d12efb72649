from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awards.enums import OpinionAnswer, RecommendationDecision, RecordCategory
from core.uploads import validate_upload


class RecommendationForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=RecommendationDecision.choices, widget=forms.RadioSelect)
    opinion = forms.CharField(
        label=_("Opinion"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you checked and found. The award office and the enterprise see this text."),
    )
    scan = forms.FileField(
        label=_("Signed and sealed scan (optional)"),
        required=False,
        help_text=_("The signed recommendation form as a PDF, JPEG or PNG."),
    )

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan:
            try:
                validate_upload(scan, max_bytes=settings.ATTACHMENT_MAX_BYTES)
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc
        return scan


class OpinionAnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=OpinionAnswer.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(
        label=_("Category of the record"), choices=[("", "—"), *RecordCategory.choices], required=False
    )
    details = forms.CharField(
        label=_("Details"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a record found: what happened, when, and the decision's number."),
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"), required=False, help_text=_("A PDF, JPEG or PNG, such as the penalty decision.")
    )

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence:
            validate_upload(evidence, max_bytes=settings.ATTACHMENT_MAX_BYTES)
        return evidence

    def clean(self):
        data = super().clean()
        if data.get("answer") == OpinionAnswer.RECORD_FOUND:
            if not data.get("category"):
                self.add_error("category", _("Choose the category of the record."))
            if not (data.get("details") or "").strip():
                self.add_error("details", _("Describe the record."))
        return data


class OpinionSendForm(forms.Form):
    application = forms.ModelChoiceField(label=_("Application"), queryset=None)
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateField(label=_("Answer by"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, applications, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda a: f"{a.receipt_number} {a.display_name}"
        self.fields["departments"].queryset = departments
        self.fields["departments"].label_from_instance = lambda u: u.get_full_name() or u.email

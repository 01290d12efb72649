from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from awards.enums import OpinionAnswer, RecommendationDecision, RecordCategory
from core.uploads import validate_upload

from .enums import InvitationResponse


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


# --- 陈述答辩 presentation and defence -------------------------------------------------------------

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PresentationSessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=LOCAL_DATETIME, help_text=_("China Standard Time (Asia/Shanghai).")
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=24 * 60)
    place = forms.CharField(label=_("Place"), max_length=200)
    is_public = forms.BooleanField(
        label=_("Open to the public"),
        required=False,
        help_text=_("The schedule is shown on a public page; scores never are."),
    )
    panel = forms.ModelMultipleChoiceField(
        label=_("Panel"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The experts who hear the presentations and ask the questions."),
        error_messages={"required": _("A presentation session needs a panel: choose its members.")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = candidates
        self.fields["panel"].label_from_instance = lambda u: u.get_full_name() or u.email


class PresentationScheduleForm(forms.Form):
    application = forms.ModelChoiceField(label=_("Application"), queryset=None)
    starts_at = forms.DateTimeField(label=_("Slot starts"), widget=LOCAL_DATETIME)
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=1, max_value=600, initial=30)

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda a: f"{a.receipt_number} {a.display_name}"


class PresentationResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (InvitationResponse.CONFIRMED, _("We confirm and will attend")),
            (InvitationResponse.RESCHEDULE, _("We ask for another time")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you ask for another time: why, and which times would suit you."),
    )

    def clean(self):
        data = super().clean()
        if data.get("response") == InvitationResponse.RESCHEDULE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the time does not suit you."))
        return data


class PresentationNoteForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    question = forms.CharField(label=_("Question"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(
        label=_("Answer"), max_length=8000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *categories]


class PresentationScoreForm(forms.Form):
    score = forms.DecimalField(label=_("Score"), min_value=0, max_digits=6, decimal_places=1)

    def __init__(self, *args, scale_max, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].max_value = scale_max
        self.fields["score"].validators.append(MaxValueValidator(scale_max))
        self.fields["score"].widget.attrs.update({"max": scale_max, "step": "0.5", "inputmode": "decimal"})
        self.fields["score"].help_text = _("From 0 to %(max)s.") % {"max": scale_max}

"""Forms of the application's sections and the eligibility review. They validate; services save.

Section fields are optional while drafting (autosave keeps half-finished work); what is still
missing is reported by awards.sections.missing_by_section and checked again on submission.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import NameField
from core.uploads import validate_upload
from enterprises import divisions
from enterprises.enums import Industry
from enterprises.forms import INVALID_DISTRICT
from enterprises.validators import district_error, normalize_credit_code

from . import sections
from .enums import AttachmentKind, DayCount, EligibilityDecision, StageKind
from .services import attachment_total_check
from .stages import StageSpec
from .workflow import REQUIRED_STAGES

YES_NO = [("yes", _("Yes, I declare this")), ("no", _("No"))]


def _json_value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, (int, bool, str)):
        return value
    return str(value)


class SectionForm(forms.Form):
    """Carries the application's version for the optimistic check."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def section_data(self) -> dict[str, Any]:
        return {
            k: _json_value(v) for k, v in self.cleaned_data.items() if k != "version" and not k.startswith("evidence_")
        }


class BasicInfoForm(SectionForm):
    # The names and the credit code are the registered profile's: shown, never taken from the request
    # (a change goes through the enterprise's name change request; see enterprises.services).
    name_zh = forms.CharField(
        label=capfirst(sections.BASIC_FIELDS["name_zh"]), max_length=200, required=False, disabled=True
    )
    name_en = forms.CharField(
        label=capfirst(sections.BASIC_FIELDS["name_en"]), max_length=200, required=False, disabled=True
    )
    credit_code = forms.CharField(
        label=capfirst(sections.BASIC_FIELDS["credit_code"]),
        max_length=18,
        required=False,
        disabled=True,
        help_text=_(
            "The names and the credit code come from the enterprise's profile. "
            "The owner can ask the award office to change them."
        ),
    )
    district = forms.ChoiceField(
        label=capfirst(sections.BASIC_FIELDS["district"]),
        choices=divisions.district_choices_or_none,
        required=False,
        error_messages={"invalid_choice": INVALID_DISTRICT},
    )
    industry = forms.ChoiceField(
        label=capfirst(sections.BASIC_FIELDS["industry"]), choices=[("", "—"), *Industry.choices], required=False
    )
    founded_on = forms.DateField(
        label=capfirst(sections.BASIC_FIELDS["founded_on"]),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    employees = forms.IntegerField(label=capfirst(sections.BASIC_FIELDS["employees"]), min_value=0, required=False)
    address = forms.CharField(label=capfirst(sections.BASIC_FIELDS["address"]), max_length=300, required=False)
    legal_representative = forms.CharField(
        label=capfirst(sections.BASIC_FIELDS["legal_representative"]), max_length=100, required=False
    )
    contact_name = forms.CharField(
        label=capfirst(sections.BASIC_FIELDS["contact_name"]), max_length=100, required=False
    )
    contact_phone = forms.CharField(
        label=capfirst(sections.BASIC_FIELDS["contact_phone"]), max_length=30, required=False
    )
    contact_email = forms.EmailField(
        max_length=254, label=capfirst(sections.BASIC_FIELDS["contact_email"]), required=False
    )
    main_business = forms.CharField(
        label=capfirst(sections.BASIC_FIELDS["main_business"]),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        # A disabled field ignores what was sent; a request that tries to change one is refused outright.
        sent = [
            name
            for name in sections.IDENTITY_FIELDS
            if name in self.data and _norm(self.data.get(name), name) != _norm(self.initial.get(name), name)
        ]
        if sent:
            raise ValidationError(
                _(
                    "The names and the credit code come from the enterprise's profile and cannot be changed on the "
                    "application. The owner can ask the award office to change them."
                ),
                code="identity_locked",
            )
        if message := district_error(self.initial.get("credit_code") or "", data.get("district") or ""):
            self.add_error("district", message)
        return data

    def section_data(self) -> dict[str, Any]:
        # The service writes the identity fields from the profile.
        return {k: v for k, v in super().section_data().items() if k not in sections.IDENTITY_FIELDS}


def _norm(value, name: str) -> str:
    value = (value or "").strip()
    return normalize_credit_code(value) if name == "credit_code" else value


class DeclarationsForm(SectionForm):
    excellence_since = forms.DateField(
        label=capfirst(sections.DECLARATION_FIELDS["excellence_since"]),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    excellence_note = forms.CharField(
        label=capfirst(sections.DECLARATION_FIELDS["excellence_note"]),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_excellence = forms.FileField(label=_("Evidence (optional)"), required=False, allow_empty_file=True)
    no_incident = forms.ChoiceField(
        label=capfirst(sections.DECLARATION_FIELDS["no_incident"]),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    incident_note = forms.CharField(
        label=capfirst(sections.DECLARATION_FIELDS["incident_note"]),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_incident = forms.FileField(label=_("Evidence (optional)"), required=False, allow_empty_file=True)
    good_record = forms.ChoiceField(
        label=capfirst(sections.DECLARATION_FIELDS["good_record"]),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    record_note = forms.CharField(
        label=capfirst(sections.DECLARATION_FIELDS["record_note"]),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_record = forms.FileField(label=_("Evidence (optional)"), required=False, allow_empty_file=True)

    def __init__(self, *args, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cycle is not None:
            self.fields["no_incident"].label = _(
                "No major quality, safety, environmental or public-health incident in the last %(n)d years"
            ) % {"n": cycle.incident_free_years}
            self.fields["excellence_since"].help_text = _("At least %(n)d years of practice are required.") % {
                "n": cycle.min_years_excellence_practice
            }
        for key in sections.EVIDENCE_KEYS:
            self.fields[f"evidence_{key}"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"

    def _clean_evidence(self, key):
        upload = self.cleaned_data.get(f"evidence_{key}")
        if upload:
            validate_upload(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES)
        return upload

    def clean_evidence_excellence(self):
        return self._clean_evidence("excellence")

    def clean_evidence_incident(self):
        return self._clean_evidence("incident")

    def clean_evidence_record(self):
        return self._clean_evidence("record")

    def evidence_files(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data.get(f"evidence_{k}")
            for k in sections.EVIDENCE_KEYS
            if self.cleaned_data.get(f"evidence_{k}")
        }


def _narrative_name(code: str) -> str:
    return "narrative_" + code.replace(".", "_")


def _score_name(code: str) -> str:
    return "score_" + code.replace(".", "_")


SCORE_CHOICES = [("", "—"), *((p, f"{p} %") for p in sections.SCORE_CHOICES)]


class SelfAssessmentForm(SectionForm):
    """A narrative per criteria category (length guide, hard maximum) and optional self-scores."""

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        low, high = sections.NARRATIVE_RECOMMENDED
        for cat in categories:
            self.fields[_narrative_name(cat.code)] = forms.CharField(
                label=f"{cat.code} {cat.title}",
                max_length=sections.NARRATIVE_MAX,
                required=False,
                help_text=_("At least %(min)d characters; %(low)d–%(high)d recommended; at most %(max)d.")
                % {"min": sections.NARRATIVE_MIN, "low": low, "high": high, "max": sections.NARRATIVE_MAX},
                widget=forms.Textarea(
                    attrs={
                        "rows": 8,
                        "maxlength": sections.NARRATIVE_MAX,
                        "data-counter": "",
                        "data-min": sections.NARRATIVE_MIN,
                        "data-low": low,
                        "data-high": high,
                    }
                ),
            )
            for item in cat.items.all():
                self.fields[_score_name(item.code)] = forms.TypedChoiceField(
                    label=f"{item.code} {item.title} ({item.points})",
                    choices=SCORE_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                )

    @staticmethod
    def initial_from(data: dict) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for code, entry in (data or {}).items():
            initial[_narrative_name(code)] = entry.get("narrative", "")
            for item_code, pct in (entry.get("scores") or {}).items():
                initial[_score_name(item_code)] = pct
        return initial

    def section_data(self) -> dict[str, Any]:
        data = {}
        for cat in self.categories:
            scores = {
                item.code: self.cleaned_data[_score_name(item.code)]
                for item in cat.items.all()
                if self.cleaned_data.get(_score_name(item.code)) is not None
            }
            data[cat.code] = {"narrative": self.cleaned_data.get(_narrative_name(cat.code), ""), "scores": scores}
        return data

    def category_rows(self):
        """(category, narrative field, [score fields], bands) for the template."""
        for cat in self.categories:
            bands = sections.RESULTS_BANDS if cat.kind == "results" else sections.PROCESS_BANDS
            yield (
                cat,
                self[_narrative_name(cat.code)],
                [self[_score_name(item.code)] for item in cat.items.all()],
                bands,
            )


class KeyResultsForm(SectionForm):
    """Figures for the three years before the award year, with units and range checks."""

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            for m in sections.METRICS:
                name = f"{m.key}_{year}"
                label = f"{m.label} {year} ({m.unit})"
                if m.kind == "int":
                    f = forms.IntegerField(label=label, min_value=0, required=False)
                elif m.kind == "percent":
                    f = forms.DecimalField(
                        label=label, min_value=0, max_value=100, max_digits=5, decimal_places=2, required=False
                    )
                elif m.kind == "money":
                    f = forms.DecimalField(label=label, min_value=0, max_digits=14, decimal_places=2, required=False)
                else:
                    f = forms.DecimalField(label=label, max_digits=14, decimal_places=2, required=False)
                f.widget.attrs.update({"inputmode": "decimal", "class": "num-input"})
                self.fields[name] = f

    @staticmethod
    def initial_from(data: dict) -> dict[str, Any]:
        return {f"{key}_{year}": value for year, row in (data or {}).items() for key, value in (row or {}).items()}

    def section_data(self) -> dict[str, Any]:
        return {
            str(year): {
                m.key: _json_value(self.cleaned_data.get(f"{m.key}_{year}"))
                for m in sections.METRICS
                if self.cleaned_data.get(f"{m.key}_{year}") is not None
            }
            for year in self.years
        }

    def rows(self):
        """(metric, [bound field per year]) for the table."""
        for m in sections.METRICS:
            yield m, [self[f"{m.key}_{year}"] for year in self.years]


class CommitmentForm(SectionForm):
    name = NameField(label=_("Name"), required=False)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    confirmed = forms.BooleanField(
        label=_(
            "I confirm that all the material in this application is true, accurate and complete, "
            "and I accept that an award obtained with false material will be revoked."
        ),
        required=False,
    )


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k.value, k.label) for k in sections.UPLOAD_KINDS])
    description = forms.CharField(
        label=_("What the file is"),
        max_length=200,
        required=False,
        help_text=_("Required for “Other”, e.g. “patent certificate” or “customer satisfaction survey 2024”."),
    )
    # Empty files reach validate_upload, whose message names the file.
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES)
        if self.application is not None:
            attachment_total_check(application=self.application, adding=upload.size, name=upload.name)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == AttachmentKind.OTHER and not (cleaned.get("description") or "").strip():
            self.add_error("description", _("Say what this file is."))
        return cleaned


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(label=_("Yes, withdraw our application from this cycle."))


class EligibilityDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=EligibilityDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason or general comment"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for an ineligible decision. The enterprise sees this text."),
    )
    resubmit_by = forms.DateTimeField(
        label=_("Resubmit by"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("For a return: until when the enterprise may resubmit (China Standard Time)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section in sections.SECTIONS:
            self.fields[f"comment_{section}"] = forms.CharField(
                label=sections.SECTION_TITLES[section],
                max_length=4000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def comment_fields(self):
        return [self[f"comment_{s}"] for s in sections.SECTIONS]

    def section_comments(self) -> dict[str, str]:
        return {s: self.cleaned_data.get(f"comment_{s}", "") for s in sections.SECTIONS}

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == EligibilityDecision.INELIGIBLE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason the application is ineligible."))
        if decision == EligibilityDecision.RETURNED:
            if (
                not any((data.get(f"comment_{s}") or "").strip() for s in sections.SECTIONS)
                and not (data.get("reason") or "").strip()
            ):
                self.add_error(None, _("Say what the enterprise must revise, in the sections concerned."))
            when = data.get("resubmit_by")
            if when is None:
                self.add_error("resubmit_by", _("Give a resubmission deadline."))
            elif when <= timezone.now():
                self.add_error("resubmit_by", _("The resubmission deadline must be in the future."))
        return data


def validation_error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class StartForm(forms.Form):
    """The "start the application" button: which enterprise, for which cycle."""

    enterprise = forms.IntegerField(min_value=1)
    cycle = forms.IntegerField(min_value=1)


class StageRowForm(forms.Form):
    """One stage of the catalogue: whether the cycle runs it, where, and its window."""

    include = forms.BooleanField(label=_("Run this stage"), required=False)
    order = forms.IntegerField(label=_("Place in the order"), min_value=1, max_value=20, required=False)
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    length = forms.IntegerField(
        label=_("Length"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Counted from the start; leave empty to give the end yourself."),
    )
    day_count = forms.ChoiceField(label=_("Counted in"), choices=DayCount.choices, initial=DayCount.CALENDAR)
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, kind: str, experts=None, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.label = StageKind(kind).label
        if kind == StageKind.PRESENTATION:
            self.fields["panel"] = forms.ModelMultipleChoiceField(
                label=_("Panel"),
                queryset=experts,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("The experts who hear the presentation and ask the questions."),
            )
        if kind in REQUIRED_STAGES:
            self.fields["include"].disabled = True
            self.fields["include"].help_text = _("Every cycle runs this stage.")
        if locked:
            self.fields["include"].disabled = True
            self.fields["order"].disabled = True

    def clean(self):
        data = super().clean()
        if self.kind in REQUIRED_STAGES:
            data["include"] = True
        if data.get("include") and data.get("order") is None:
            self.add_error("order", _("Give the stage's position in the cycle."))
        if data.get("length") and data.get("ends_on"):
            self.add_error("ends_on", _("Give either a length or an end, not both."))
        if data.get("length") and not data.get("starts_on"):
            self.add_error("starts_on", _("A length is counted from a start: give the first day."))
        return data

    def spec(self) -> StageSpec:
        d = self.cleaned_data
        panel = [u.pk for u in d.get("panel") or []]
        return StageSpec(
            self.kind, d.get("starts_on"), d.get("ends_on"), d.get("length"), d.get("day_count") or "calendar", panel
        )


class StagesForm:
    """The whole configuration: one row per stage of the catalogue, and a reason once it is fixed."""

    def __init__(self, data=None, *, stages, experts, locked: bool):
        self.locked = locked
        self.non_row_errors: list[str] = []
        current = {s.kind: s for s in stages}
        self.rows = []
        for n, kind in enumerate(StageKind, start=1):
            stage = current.get(kind)
            initial = {"include": stage is not None or kind in REQUIRED_STAGES, "order": n}
            if stage is not None:
                initial.update(
                    order=stage.order,
                    starts_on=stage.starts_on,
                    length=stage.length,
                    day_count=stage.day_count,
                    ends_on=None if stage.length else stage.ends_on,
                    panel=[u.pk for u in stage.panel.all()],
                )
            self.rows.append(
                StageRowForm(data, prefix=kind, initial=initial, kind=kind, experts=experts, locked=locked)
            )
        self.reason = StageReasonForm(data, locked=locked)

    def is_valid(self) -> bool:
        valid = [r.is_valid() for r in self.rows]  # every row, so that each shows its own errors
        return all(valid) and self.reason.is_valid()

    def chosen(self) -> list[tuple[StageRowForm, StageSpec]]:
        """The rows the cycle runs, in their order."""
        rows = [r for r in self.rows if r.cleaned_data.get("include")]
        rows.sort(key=lambda r: (r.cleaned_data["order"], list(StageKind).index(r.kind)))
        return [(r, r.spec()) for r in rows]


class StageReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Applications have been submitted: say why the windows move. The reason is kept in the log."),
    )

    def __init__(self, *args, locked: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not locked:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awards.enums import RecommendationDecision
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

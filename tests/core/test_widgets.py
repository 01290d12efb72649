"""core.widgets.QuickSelect writes the same <select> as Django's template-drawn Select."""

import pytest
from django import forms
from django.test.html import parse_html
from django.utils import translation

from core.widgets import QuickSelect
from enterprises import divisions
from enterprises.enums import Industry


def _both(choices, value, attrs=None):
    django_html = forms.Select(choices=choices).render("district", value, attrs=attrs)
    quick_html = QuickSelect(choices=choices).render("district", value, attrs=attrs)
    return parse_html(django_html), parse_html(quick_html)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("value", [None, "", "431002", "430104", "not-a-code"])
def test_grouped_divisions_are_drawn_as_django_draws_them(language, value):
    with translation.override(language):
        choices = [("", "All"), *divisions.district_choices()]
        expected, got = _both(choices, value, {"id": "id_district", "aria-describedby": "d-help"})
    assert got == expected


@pytest.mark.parametrize("value", [None, "C", "T"])
def test_flat_choices_with_escaped_labels(value):
    choices = [("", "— all —"), *Industry.choices, ("<x>", 'A & "B"')]
    expected, got = _both(choices, value, {"id": "id_industry", "required": True})
    assert got == expected
    assert "&lt;x&gt;" in QuickSelect(choices=choices).render("industry", value)


def test_a_filter_form_of_the_office_uses_it():
    from awards.filters import ApplicationQueueFilter
    from awards.models import Application

    form = ApplicationQueueFilter(data={"district": "431002"}, queryset=Application.objects.none()).form
    assert isinstance(form.fields["district"].widget, QuickSelect)
    html = str(form["district"])
    assert '<option value="431002" selected>' in html and "<optgroup" in html

"""Widgets the project's forms share."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A single <select>, written in Python instead of through Django's widget templates.

    The templates include one sub-template per option (and one for its attributes): a list of Hunan's
    136 divisions cost ≈ 15 ms to draw that way, on every view of a filtered office list. The HTML is
    the same: the attributes the form gives (id, required, aria-*), optgroups for grouped choices,
    `selected` on the chosen value."""

    def render(self, name, value, attrs=None, renderer=None):  # noqa: ARG002 -- Django's signature
        chosen = {str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        parts = [format_html("<select{}>", flatatt(final))]
        for group, label in self.choices:
            if isinstance(label, list | tuple):  # an optgroup: (group label, [(value, label), ...])
                parts.append(format_html('<optgroup label="{}">', group))
                parts.append(self._options(label, chosen))
                parts.append(mark_safe("</optgroup>"))
            else:
                parts.append(self._options([(group, label)], chosen))
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(parts))  # noqa: S308 -- every part escaped by format_html

    @staticmethod
    def _options(options, chosen) -> str:
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if v is None else str(v),
                    mark_safe(" selected") if ("" if v is None else str(v)) in chosen else "",
                    label,
                )
                for v, label in options
            ),
        )

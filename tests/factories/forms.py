"""The forms of an HTML page, read with the standard library's parser, and a plausible body for one
(the POST isolation walk, tests/awards/test_programme_isolation_post.py). Unlike the bad-input walk's
parser (tests/core/test_bad_input.py), which needs only names and kinds, this one keeps what the page
shows: a textarea's text, the selected options, the checked radio.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile


class Forms(HTMLParser):
    """The forms of a page: method, action and fields (name, kind, value, options, checked; a
    textarea's text; a select's options and which are selected)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            if tag == "button":
                kind = a.get("type") or "submit"
            field = {
                "name": a["name"],
                "kind": kind,
                "value": a.get("value") or "",
                "options": [],
                "selected": [],
                "checked": "checked" in a,
                "multiple": "multiple" in a,
                "min": a.get("min") or "",
                "text": "",
            }
            if kind not in ("reset", "button"):
                self._form["fields"].append(field)
            if tag == "select":
                self._select = field
            elif tag == "textarea":
                self._textarea = field
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["selected"].append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def _pdf():
    return SimpleUploadedFile("material.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


def plausible(form: dict) -> dict:
    """A body the form would send when filled in sensibly: what the page shows where it shows a value
    (hidden fields, current values, the selected or first option, every box ticked), a valid-looking
    value of the field's kind where it is empty, a small PDF for a file, the first named button."""
    today = dt.date.today()
    filler = {
        "email": "someone@example.cn",
        "url": "https://example.cn/",
        "tel": "0731-88880000",
        "password": "Plausible-pass-2026",
        "date": today.isoformat(),
        "datetime-local": f"{today.isoformat()}T09:00",
        "time": "09:00",
        "month": today.strftime("%Y-%m"),
    }
    data: dict[str, object] = {}
    radios: set[str] = set()
    submitted = False
    for f in form["fields"]:
        name, kind = f["name"], f["kind"]
        if kind == "submit":
            if not submitted:
                data[name], submitted = f["value"], True
        elif kind == "file":
            data[name] = _pdf()
        elif kind == "checkbox":
            data.setdefault(name, []).append(f["value"] or "on")
        elif kind == "radio":
            if f["checked"] or name not in radios:
                data[name] = f["value"]
                radios.add(name)
        elif kind == "select":
            chosen = f["selected"] or [o for o in f["options"] if o][:1]
            data[name] = chosen if f["multiple"] else (chosen[0] if chosen else "")
        elif kind == "textarea":
            data[name] = f["text"].strip() or "经核实，情况属实，特此说明。"
        elif kind in ("number", "range"):
            data[name] = f["value"] or f["min"] or "1"
        else:
            data[name] = f["value"] or filler.get(kind, "示例内容")
    return data

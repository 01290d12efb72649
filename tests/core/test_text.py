"""Names and free text: NFKC, invisible characters, stated maximum lengths (issue 12)."""

import importlib
import inspect

import pytest
from django import forms

from core.forms import NameField
from core.text import visible_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("王五", "王五"),
        ("Ｗａｎｇ　Ｗｕ", "Wang Wu"),  # full-width letters and ideographic space
        ("王\u200b五", "王五"),  # zero-width space
        ("\u202e王五\u202c", "王五"),  # bidirectional overrides
        (" 张\t三 \n", "张 三"),
        ("\u200b\u200c\u200d\u2060\ufeff", ""),
        ("\u3164\u115f\u2800", ""),  # blank-looking fillers
        ("\x00\x01\x7f", ""),
    ],
)
def test_visible_text(raw, clean):
    assert visible_text(raw) == clean


def test_a_name_of_invisible_characters_is_required_again():
    field = NameField(error_messages={"required": "give a name"})
    with pytest.raises(forms.ValidationError) as exc:
        field.clean("\u200b\u2060")
    assert exc.value.messages == ["give a name"]
    assert field.clean("Ｌｉ\u200b Ｌｅｉ") == "Li Lei"
    with pytest.raises(forms.ValidationError):
        field.clean("名" * 101)


def _project_forms():
    for app in ("core", "enterprises", "awards", "reviews", "committee", "certificates"):
        try:
            module = importlib.import_module(f"{app}.forms")
        except ImportError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_free_text_field_has_a_maximum():
    missing = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _project_forms()
        for name, field in cls.base_fields.items()
        if type(field) in (forms.CharField, NameField)
        and not isinstance(field.widget, forms.PasswordInput)
        and field.max_length is None
    ]
    assert missing == []

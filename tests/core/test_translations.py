"""Every template's text is translated into Chinese, and the English words that are both a verb and a
noun (Object, Declare, Review, Record, Close…) are translated as what they mean where they stand."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.urls import reverse
from django.utils import translation

# English words that read as a verb in one place and a noun in another.
AMBIGUOUS = ("Object", "Declare", "Review", "Record", "Close", "Open", "Return", "Submit", "Score")
# msgids that are the same in both languages (codes, names of standards, formats).
SAME_IN_CHINESE = {"SHA-256", "PDF", "CSV", "XLSX"}


def _template_files() -> list[Path]:
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in {".html", ".txt"})


def _msgids(nodelist):
    """(context, msgid, plural) of every translate / blocktranslate tag, nested ones included."""
    for node in nodelist:
        if isinstance(node, TranslateNode):
            if node.filter_expression.var.literal is not None:
                context = node.message_context.var if node.message_context else None
                yield context, node.filter_expression.var.literal, None
        elif isinstance(node, BlockTranslateNode):
            singular, _vars = node.render_token_list(node.singular)
            plural = node.render_token_list(node.plural)[0] if node.plural else None
            context = node.message_context.var if node.message_context else None
            yield context, singular, plural
        for attr in getattr(node, "child_nodelists", ()):
            yield from _msgids(getattr(node, attr, None) or [])
        if hasattr(node, "nodelist") and "nodelist" not in getattr(node, "child_nodelists", ()):
            yield from _msgids(node.nodelist or [])


def _all_msgids():
    engine = engines["django"].engine
    found = {}
    for path in _template_files():
        template = engine.from_string(path.read_text(encoding="utf-8"))
        for entry in _msgids(template.nodelist):
            found.setdefault(entry, path.name)
    return found


def _zh(context, msgid, plural):
    with translation.override("zh-hans"):
        if plural:
            return (
                translation.npgettext(context, msgid, plural, 1) if context else translation.ngettext(msgid, plural, 1)
            )
        return translation.pgettext(context, msgid) if context else translation.gettext(msgid)


def test_the_templates_were_read():
    msgids = _all_msgids()
    assert len(msgids) > 500
    assert (None, "Save and continue", None) in msgids


def test_every_template_text_has_a_chinese_translation():
    untranslated = sorted(
        f"{where}: {msgid!r}"
        for (context, msgid, plural), where in _all_msgids().items()
        if re.search("[A-Za-z]{2}", msgid) and msgid not in SAME_IN_CHINESE and _zh(context, msgid, plural) == msgid
    )
    assert untranslated == []


def test_no_ambiguous_word_survives_in_english():
    survivors = []
    for (context, msgid, plural), where in _all_msgids().items():
        text = _zh(context, msgid, plural)
        for word in AMBIGUOUS:
            if re.search(rf"\b{word}\b", text):
                survivors.append(f"{where}: {msgid!r} -> {text!r}")
    assert survivors == []


@pytest.mark.parametrize(
    ("context", "msgid", "wrong"),
    [
        ("verb: lodge an objection", "Object", "对象"),
        ("verb: write down a remark", "Record", None),
        (None, "Declare a conflict with this candidate", "申报"),
        (None, "Declare conflicts", "申报"),
        (None, "Conflicts declared", "申报"),
        (None, "Committee rank", "审定委员会"),
        (None, "%(n)s points", "分值"),
    ],
)
def test_verb_and_noun_readings_are_told_apart(context, msgid, wrong):
    text = _zh(context, msgid, None)
    assert text != msgid
    if wrong:
        assert wrong not in text


def test_django_password_length_message_in_chinese():
    from django.contrib.auth.password_validation import MinimumLengthValidator

    with translation.override("zh-hans"):
        validator = MinimumLengthValidator(min_length=10)
        with pytest.raises(Exception) as exc:
            validator.validate("short")
        assert "10" in exc.value.messages[0] and "too short" not in exc.value.messages[0]
        assert "too short" not in validator.get_help_text()


def test_axes_admin_words_in_chinese():
    from axes.models import AccessAttempt

    with translation.override("zh-hans"):
        assert str(AccessAttempt._meta.verbose_name_plural) == "登录尝试"
        assert str(AccessAttempt._meta.get_field("failures_since_start").verbose_name) == "登录失败次数"


# --- pages as rendered --------------------------------------------------------------------------


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_rendered_pages_in_chinese_keep_no_ambiguous_english(client_for, admin_user, applicant_a, application_a):
    from core.audit import audit_record
    from core.enums import AuditEventType

    audit_record(event=AuditEventType.MEETING_SCHEDULED, obj=application_a, by=None)
    pages = [
        (admin_user, reverse("core:dashboard")),
        (applicant_a, reverse("awards:application", args=[application_a.pk])),
        (applicant_a, reverse("awards:section", args=[application_a.pk, "self_assessment"])),
        (applicant_a, reverse("awards:attachments", args=[application_a.pk])),
        (applicant_a, reverse("committee:notice")),
    ]
    for user, url in pages:
        text = _visible_text(client_for(user).get(url).content.decode())
        for word in AMBIGUOUS:
            assert not re.search(rf"\b{word}\b", text), (url, word)
    dashboard = _visible_text(client_for(admin_user).get(reverse("core:dashboard")).content.decode())
    assert "meeting.scheduled" not in dashboard and "会议已安排" in dashboard
    assert "system" not in dashboard and "系统" in dashboard

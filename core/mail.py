"""Queue e-mails through the outbox; the task renders them in the recipient's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import Context
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

from .models import User
from .outbox import outbox_add_mail


def mail_queue(
    *,
    template: str,
    context: dict[str, Any] | None = None,
    to_user: User | None = None,
    to_email: str | None = None,
    language: str | None = None,
    cycle: Any = None,
    programme: Any = None,
) -> None:
    """Send `emails/<template>_subject.txt` and `emails/<template>.txt` (and its HTML part, see
    `mail_render`) once the transaction commits.

    The message is an outbox row of the current transaction (nothing is sent if it rolls back).
    `context` must be JSON-serialisable: it travels through the broker. `cycle` (optional) files the
    message under its award cycle on the office's outbox page. `programme` (optional; an
    awards.AwardProgramme) is the award the mail is about: its name and organiser go into the context
    (`programme_zh`, `organiser_en`, …), and the footer signs with its office; without one the mail
    is signed with the site's name (settings.SITE_NAME_ZH / SITE_NAME_EN).
    """
    if to_user is None and not to_email:
        raise ValueError("mail_queue needs to_user or to_email")
    lang = language or (to_user.preferred_language if to_user else settings.LANGUAGE_CODE)
    context = dict(context or {})
    if programme is not None:
        context |= {
            "programme_zh": programme.name_zh,
            "programme_en": programme.name_en,
            "organiser_zh": programme.organiser_zh,
            "organiser_en": programme.organiser_en,
            "programme_slug": programme.slug,
        }
    outbox_add_mail(
        template=template,
        context=context,
        user_id=to_user.pk if to_user else None,
        email=to_email,
        recipient=to_user.email if to_user else to_email,
        language=lang,
        cycle_id=getattr(cycle, "pk", cycle),
    )


def _programme_root(slug: str) -> str:
    return "" if not slug or slug == settings.DEFAULT_PROGRAMME else f"/{slug}"


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def _plain(name: str, context: dict[str, Any]) -> str:
    """A text template rendered without HTML escaping: plain text shows `&` and `<` as they are.

    Returned as a plain `str`, not the template's SafeString, so that HTML built from it escapes it.
    """
    return get_template(name).template.render(Context(context, autoescape=False)) + ""


def mail_render(
    *, template: str, context: dict[str, Any], language: str, recipient: User | None = None
) -> RenderedMail:
    """Subject, plain text and HTML of one e-mail in `language`.

    The HTML part is `emails/<template>.html` where it exists, otherwise the plain text set in
    `emails/_base.html` (escaped there, links made clickable).
    """
    en = language.startswith("en")
    ctx = {
        **context,
        "recipient": recipient,
        "site_url": settings.SITE_URL,
        # The programme the mail is about, in the mail's language ("" when it is about none).
        "programme": context.get("programme_en" if en else "programme_zh", ""),
        "organiser": context.get("organiser_en" if en else "organiser_zh", ""),
        # Where its public pages live: the root for the default programme, /<slug> for the others.
        "programme_root": _programme_root(context.get("programme_slug", "")),
    }
    with translation.override(language):
        subject = " ".join(_plain(f"emails/{template}_subject.txt", ctx).split())
        text = _plain(f"emails/{template}.txt", ctx)
        try:
            html = render_to_string(f"emails/{template}.html", ctx)
        except TemplateDoesNotExist:
            html = render_to_string(
                "emails/_base.html",
                {"subject": subject, "body": text, "language": language, "site_url": settings.SITE_URL},
            )
    return RenderedMail(subject=subject, text=text, html=html)

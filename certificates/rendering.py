"""The certificate's HTML and PDF. One place builds both, for the task and the benchmark alike."""

from __future__ import annotations

import html
import math

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from core.pdf import html_to_pdf

from .models import Certificate

# The QR code sits in a box of this size (mm) on the page; tests find it there.
QR_SIZE_MM = 30


def qr_svg_data_uri(url: str) -> str:
    """The QR code for `url` as an SVG data URI: vector, so it prints sharp at any size."""
    return segno.make(url, error="m").svg_data_uri(scale=1, border=0, dark="#1a1a1a")


def certificate_context(certificate: Certificate) -> dict:
    app = certificate.application
    cycle = certificate.cycle
    level = certificate.award_level
    return {
        "certificate": certificate,
        "cycle": cycle,
        "level": level,
        # The level's names as decided (stored on the application when published), not today's.
        "level_zh": app.level_name_zh,
        "level_en": app.level_name_en,
        # Only the cycle's highest level is "the" award (荣获…市长质量奖); a lower one is named as what it is.
        "top_level": not cycle.levels.filter(rank__lt=level.rank).exists(),
        # The names of record (as submitted, or as changed on an approved request), never the live profile.
        "name_zh": app.name_zh.strip(),
        "name_en": app.name_en.strip(),
        "qr_uri": qr_svg_data_uri(certificate.verification_url),
        "qr_size_mm": QR_SIZE_MM,
        # The award's and the issuer's words as stored at issue (services.certificate_words), not the
        # programme's today: a renamed programme does not rewrite a certificate already given.
        "seal_svg": mark_safe(seal_svg(certificate.seal_text)),  # noqa: S308 - characters escaped in seal_svg
    }


def certificate_html(certificate: Certificate) -> str:
    # The certificate is bilingual by design; the template writes both languages itself.
    with translation.override("zh-hans"):
        return render_to_string("pdf/certificate.html", certificate_context(certificate))


def certificate_pdf(certificate: Certificate) -> bytes:
    return html_to_pdf(certificate_html(certificate))


def seal_svg(text: str, size: int = 160) -> str:
    """A red round seal: a ring, a star and the issuer's name set along the upper arc."""
    c = size / 2
    ring = c - 4
    radius = c - 24  # where the characters stand
    span = 250.0  # degrees of arc the text covers, centred on the top
    n = len(text)
    step = span / (n - 1) if n > 1 else 0
    chars = []
    for i, ch in enumerate(text):
        angle = -span / 2 + i * step  # 0 = top
        rad = math.radians(angle)
        x = c + radius * math.sin(rad)
        y = c - radius * math.cos(rad)
        chars.append(
            f'<text x="{x:.2f}" y="{y:.2f}" transform="rotate({angle:.2f} {x:.2f} {y:.2f})" '
            f'text-anchor="middle" dominant-baseline="central">{html.escape(ch)}</text>'
        )
    # A five-pointed star in the centre.
    points = []
    for k in range(10):
        r = 26 if k % 2 == 0 else 10.5
        a = math.radians(-90 + k * 36)
        points.append(f"{c + r * math.cos(a):.2f},{c + 6 + r * math.sin(a):.2f}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}" '
        f'class="seal-svg">'
        f'<circle cx="{c}" cy="{c}" r="{ring}" fill="none" stroke="#c8102e" stroke-width="5"/>'
        f'<circle cx="{c}" cy="{c}" r="{ring - 7}" fill="none" stroke="#c8102e" stroke-width="1"/>'
        f'<polygon points="{" ".join(points)}" fill="#c8102e"/>'
        f'<g fill="#c8102e" font-family="Noto Serif CJK SC, Noto Sans CJK SC, Source Han Serif SC, serif" '
        f'font-size="17" font-weight="bold">{"".join(chars)}</g>'
        f'<text x="{c}" y="{c + 52}" text-anchor="middle" fill="#c8102e" font-size="11" '
        f'font-family="Noto Serif CJK SC, Noto Sans CJK SC, serif">评审专用章</text>'
        f"</svg>"
    )

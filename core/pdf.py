"""HTML to PDF with WeasyPrint: the one place the project calls it.

A WeasyPrint render starts by loading the Fontconfig configuration and, through Pango, the fonts
the document uses; for the large CJK fonts that is a fifth of the render. Each thread keeps one
`FontConfiguration` and passes it to every render, so a worker process loads them once, not once
per certificate. Our templates declare no `@font-face`, so the configuration never grows with the
documents; a font installed while a process runs is seen after that process restarts.
"""

from __future__ import annotations

import threading

from django.conf import settings

_local = threading.local()


def font_configuration():
    """This thread's WeasyPrint font configuration, created on first use."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415 -- WeasyPrint is heavy: loaded on the first render

        config = _local.font_config = FontConfiguration()
    return config


def html_to_pdf(html: str) -> bytes:
    """Render `html` (relative URLs resolved from the project directory) to PDF bytes."""
    from weasyprint import HTML  # noqa: PLC0415 -- WeasyPrint is heavy: loaded on the first render

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=font_configuration())

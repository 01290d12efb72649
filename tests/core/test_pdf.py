"""core.pdf: one WeasyPrint font configuration per thread, reused by every render in it."""

import threading

from core.pdf import font_configuration, html_to_pdf
from tests.certificates.pdfcheck import pdf_fonts, pdf_text


def _doc(name: str) -> str:
    return (
        '<html lang="zh-Hans"><body style="font-family: \'Noto Serif CJK SC\', serif">'
        f"<p>{name}</p><p>Serial CZMQA-2017-001</p></body></html>"
    )


def test_the_configuration_is_created_once_per_thread():
    first = font_configuration()
    assert font_configuration() is first
    seen = []
    thread = threading.Thread(target=lambda: seen.append(font_configuration()))
    thread.start()
    thread.join()
    assert seen[0] is not first


def test_consecutive_renders_with_the_shared_configuration_keep_their_own_text_and_fonts(tmp_path):
    # Two documents in a row on one configuration: the second must not carry glyphs or text of the first.
    for i, name in enumerate(["郴州甲企业有限公司", "资兴乙科技股份公司"]):
        path = tmp_path / f"{i}.pdf"
        path.write_bytes(html_to_pdf(_doc(name)))
        text = "".join(pdf_text(path).split())
        assert name in text
        assert "CZMQA-2017-001" in text
        assert ["郴州甲企业有限公司", "资兴乙科技股份公司"][1 - i] not in text
        fonts = pdf_fonts(path)
        assert "Noto-Serif-CJK-SC" in fonts
        assert "yes yes yes" in fonts  # embedded, subset, with a Unicode map


def test_a_shared_configuration_gives_the_same_pdf_as_a_fresh_one():
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = _doc("郴州甲企业有限公司")
    shared = html_to_pdf(html)
    fresh = HTML(string=html).write_pdf(font_config=FontConfiguration())
    assert len(shared) == len(fresh)

"""The rendered PDF, checked with poppler: text, embedded CJK fonts, pixels and the QR code."""

from pathlib import Path

import pytest
import segno
from PIL import ImageStat

from certificates.rendering import certificate_html
from certificates.services import certificate_render
from tests.factories.certificates import issued_certificate
from tests.factories.enterprises import EnterpriseFactory

from .pdfcheck import page_image, pdf_fonts, pdf_page_count, pdf_text, qr_matrix

pytestmark = pytest.mark.django_db
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _render(cert):
    certificate_render(certificate_id=cert.pk)
    cert.refresh_from_db()
    assert cert.status == "ready", cert.error
    return cert.file


def _compact(text: str) -> str:
    return "".join(text.split())


def test_a_chinese_named_winners_certificate(ready_cert_a):
    path = ready_cert_a.file
    text = pdf_text(path)
    flat = _compact(text)
    assert "郴州甲企业有限公司" in flat
    assert "Chenzhou Alpha Co., Ltd." in text
    assert ready_cert_a.serial in text
    assert str(ready_cert_a.cycle.year) in text
    assert ready_cert_a.issued_on.isoformat() in text
    assert _compact(ready_cert_a.cycle.title_zh) in flat
    assert ready_cert_a.cycle.title_en in " ".join(text.split())
    assert "市长质量奖" in flat and "Mayor Quality Award" in text
    assert "荣誉证书" in flat
    assert pdf_page_count(path) == 1
    assert path.size <= 300 * 1024


def test_the_cjk_font_is_embedded(ready_cert_a):
    fonts = pdf_fonts(ready_cert_a.file)
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, fonts
    # columns: name type encoding emb sub uni ...: embedded (and subset) — never boxes from a missing font
    assert all(line.split()[-5] == "yes" for line in cjk), fonts


def test_the_page_is_a4_landscape_and_not_blank(ready_cert_a):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    image = page_image(ready_cert_a.file, dpi=100, out=SCREENSHOTS / "certificate-pdf-chinese-name.png")
    width, height = image.size
    assert width > height and abs(width / height - 297 / 210) < 0.01
    stat = ImageStat.Stat(image.convert("L"))
    assert stat.stddev[0] > 20  # a blank page has (almost) no variance
    # The red seal and border are there: plenty of strongly red pixels.
    reds = sum(1 for r, g, b in image.convert("RGB").get_flattened_data() if r > 150 and g < 90 and b < 90)
    assert reds > 2000


def test_an_english_only_winner_gets_its_english_name_prominently_and_no_empty_line(cycle):
    ent = EnterpriseFactory(name_zh="", name_en="Hunan Dijing Chemical New Material Co., Ltd.")
    cert = issued_certificate(cycle=cycle, enterprise=ent)
    html = certificate_html(cert)
    assert 'class="name-en prominent"' in html
    assert 'class="name-zh"' not in html
    path = _render(cert)
    text = pdf_text(path)
    assert "Hunan Dijing Chemical New Material Co., Ltd." in text
    assert cert.serial in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page_image(path, dpi=100, out=SCREENSHOTS / "certificate-pdf-english-only.png")


def test_the_qr_code_carries_the_verification_url(ready_cert_a):
    dpi = 300
    expected = segno.make(ready_cert_a.verification_url, error="m")
    read = qr_matrix(page_image(ready_cert_a.file, dpi=dpi), dpi, len(expected.matrix))
    assert read == [[int(bool(v)) for v in row] for row in expected.matrix]
    assert ready_cert_a.verification_url.endswith(f"/verify/{ready_cert_a.verification_code}/")


def test_a_different_url_does_not_match_the_qr(ready_cert_a):
    dpi = 300
    other = segno.make(ready_cert_a.verification_url.replace("verify", "verifx"), error="m")
    read = qr_matrix(page_image(ready_cert_a.file, dpi=dpi), dpi, len(other.matrix))
    assert read != [[int(bool(v)) for v in row] for row in other.matrix]

"""The certificate at both levels, checked on the rendered page with poppler (pdftotext, pdftoppm):
the wording names the level awarded, and the seal sits beside the issuer's line, not over it."""

import re
import subprocess

import pytest

from tests.factories.certificates import issued_certificate
from tests.media import local_copy

from .pdfcheck import PAGE_MM, page_image, pdf_text
from .test_pdf import SCREENSHOTS, _render

pytestmark = pytest.mark.django_db
DPI = 100


def _flat(text: str) -> str:
    return "".join(text.split())


def _word_boxes(source) -> list[tuple[str, float, float, float, float]]:
    """(word, x0, y0, x1, y1) in mm from the page's top left, as pdftotext -bbox reports them."""
    with local_copy(source) as path:
        out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pt = 25.4 / 72
    boxes = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out):
        x0, y0, x1, y1 = (float(v) * pt for v in m.groups()[:4])
        boxes.append((m.group(5), x0, y0, x1, y1))
    return boxes


def _seal_box(image) -> tuple[float, float, float, float]:
    """The bounding box (mm) of the seal's red (#c8102e, partly transparent): bluer than the frame's
    brick red (#a8342c), which has less blue than green."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    px = rgb.load()
    xs, ys = [], []
    for y in range(height):
        for x in range(width):
            r, g, b = px[x, y]
            if r > 170 and g < 140 and b > g + 12 and r - b > 60:
                xs.append(x)
                ys.append(y)
    assert xs, "no seal found on the page"
    mm = 25.4 / DPI
    return min(xs) * mm, min(ys) * mm, (max(xs) + 1) * mm, (max(ys) + 1) * mm


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("level_code", ["mayor", "nomination"])
def test_the_seal_sits_beside_the_issuers_line(cycle, enterprise_a, level_code):
    cert = issued_certificate(cycle=cycle, enterprise=enterprise_a, level_code=level_code)
    path = _render(cert)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    image = page_image(path, dpi=DPI, out=SCREENSHOTS / f"certificate-pdf-level-{level_code}.png")
    seal = _seal_box(image)
    # Roughly round and of the size the template gives it (36 mm).
    assert 30 < seal[2] - seal[0] < 40 and 30 < seal[3] - seal[1] < 40, seal
    assert seal[2] < PAGE_MM[0] and seal[3] < PAGE_MM[1]
    words = _word_boxes(path)
    issuer = [w for w in words if w[0] in ("郴州市人民政府", "Chenzhou", "Municipal", "People's", "Government")]
    issuer += [w for w in words if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", w[0])]
    signature = [w for w in words if "评审委员会主任" in w[0]]
    assert issuer and signature, [w[0] for w in words]
    for word in issuer + signature:
        assert not _overlaps(seal, word[1:]), (word, seal)
    # Beside, on the same line: the seal's height spans the issuer's name.
    name = next(w for w in issuer if w[0] == "郴州市人民政府")
    assert seal[1] < name[2] and name[4] < seal[3]
    assert seal[2] <= name[1]  # to its left


def test_the_mayor_quality_award_certificate_says_it_was_awarded(cycle, enterprise_a):
    cert = issued_certificate(cycle=cycle, enterprise=enterprise_a, level_code="mayor")
    text = pdf_text(_render(cert))
    flat = _flat(text)
    assert f"荣获{_flat(cycle.title_zh)}" in flat
    assert "提名奖" not in flat and "Nomination" not in text
    assert "is awarded the" in " ".join(text.split())


def test_the_nomination_certificate_names_its_level_and_never_the_award(cycle, enterprise_a):
    cert = issued_certificate(cycle=cycle, enterprise=enterprise_a, level_code="nomination")
    text = pdf_text(_render(cert))
    flat = _flat(text)
    level = cert.award_level
    assert _flat(level.name_zh) in flat and level.name_en in " ".join(text.split())
    assert "荣获" not in flat  # not "荣获…市长质量奖": the nomination is not the award
    assert "被授予" in flat
    assert "is awarded the" not in " ".join(text.split())

"""Look at a certificate PDF the way a person would: its text, fonts, pixels and QR code."""

import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from certificates.rendering import QR_SIZE_MM
from tests.media import local_copy

PAGE_MM = (297, 210)
QR_RIGHT_MM, QR_BOTTOM_MM = 24, 29  # as in templates/pdf/certificate.html


# Each takes a path or a stored file (a FieldFile: read through its storage, copied to a temporary file).


def pdf_text(source) -> str:
    with local_copy(source) as path:
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout


def pdf_fonts(source) -> str:
    with local_copy(source) as path:
        return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def pdf_page_count(source) -> int:
    with local_copy(source) as path:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def page_image(source, dpi: int = 100, out: Path | None = None) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp, local_copy(source) as path:
        prefix = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(path), str(prefix)], check=True)
        image = Image.open(f"{prefix}.png")
        image.load()
    if out is not None:
        image.save(out, optimize=True)
    return image


def qr_matrix(image: Image.Image, dpi: int, modules: int) -> list[list[int]]:
    """Read the QR symbol's modules (1 = dark) from the box where the template places it."""
    px = dpi / 25.4
    left = (PAGE_MM[0] - QR_RIGHT_MM - QR_SIZE_MM - 1) * px
    top = (PAGE_MM[1] - QR_BOTTOM_MM - QR_SIZE_MM - 1) * px
    box = image.convert("L").crop(
        (int(left), int(top), int(left + (QR_SIZE_MM + 2) * px), int(top + (QR_SIZE_MM + 2) * px))
    )
    dark = box.point(lambda v: 255 if v < 128 else 0)
    x0, y0, x1, y1 = dark.getbbox()
    size = (x1 - x0) / modules
    grey = box.load()
    return [
        [1 if grey[int(x0 + (c + 0.5) * size), int(y0 + (r + 0.5) * size)] < 128 else 0 for c in range(modules)]
        for r in range(modules)
    ]

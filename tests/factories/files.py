"""Real files for upload tests: uploads are checked by what they are (core/uploads.py), so fake
bytes such as b"%PDF-1.4 ..." are refused."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from awards.demo import minimal_pdf


def pdf_bytes(text: str = "Evidence") -> bytes:
    """A valid one-page PDF."""
    return minimal_pdf(text)


def png_bytes(size=(8, 8), color=(155, 28, 28)) -> bytes:
    """A valid PNG image."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(size=(8, 8), color=(31, 95, 139)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return out.getvalue()


def pdf_upload(name: str = "evidence.pdf", text: str = "Evidence") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")

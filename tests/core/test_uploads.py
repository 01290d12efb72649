import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import validate_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


def test_pdf_and_png_pass():
    assert validate_upload(SimpleUploadedFile("a.pdf", PDF), max_bytes=1000) == "application/pdf"
    assert validate_upload(SimpleUploadedFile("a.png", PNG), max_bytes=1000) == "image/png"


def test_executable_renamed_pdf_is_refused_by_content():
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("report.pdf", ELF), max_bytes=1000)
    assert exc.value.code == "file_type" and "report.pdf" in exc.value.messages[0]


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("empty.pdf", b""), max_bytes=1000)
    assert exc.value.code == "empty" and "empty.pdf" in exc.value.messages[0]


def test_oversized_file_names_the_limit():
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("big.pdf", PDF + b"0" * 2000), max_bytes=1024)
    assert exc.value.code == "too_large" and "big.pdf" in exc.value.messages[0] and "1.0" in exc.value.messages[0]


def test_kinds_can_be_narrowed():
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("a.png", PNG), max_bytes=1000, kinds=("pdf",))

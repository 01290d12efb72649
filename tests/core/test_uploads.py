import errno
import os
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import detect_kind, download_name, store_upload, validate_upload
from tests.factories.files import jpeg_bytes, pdf_bytes, png_bytes

PDF = pdf_bytes()
PNG = png_bytes()
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


# --- by content: polyglots, truncated and damaged files (issue 12) -------------------------------

JPEG = jpeg_bytes()


def _refused(data, name="x.pdf"):
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile(name, data), max_bytes=10**6)
    assert exc.value.code == "file_type" and name in exc.value.messages[0]


def test_a_jpeg_passes_and_is_typed_by_content():
    assert validate_upload(SimpleUploadedFile("scan.pdf", JPEG), max_bytes=10**6) == "image/jpeg"
    assert detect_kind(SimpleUploadedFile("a.png", PNG)).ext == "png"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n",
        b"%PDF-1.7\n<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>\n%%EOF",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",  # a header and an end marker, no page
        PDF[: len(PDF) // 2],  # truncated: the end of the file is missing
        PDF[:-40],  # truncated just before the cross-reference table ends
        PDF.replace(b"<!--", b"").replace(b"%PDF-1.4\n", b"%PDF-1.4\n<!doctype html><script>x()</script>\n"),
    ],
    ids=["pdf-header-html", "pdf-header-svg", "no-page", "truncated-half", "truncated-end", "valid-pdf-with-html"],
)
def test_pdf_polyglots_and_damaged_pdfs_are_refused(data):
    _refused(data)


def test_a_pdf_without_pages_is_refused():
    empty = (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R /Size 3 >>\n%%EOF\n"
    )
    _refused(empty, "blank.pdf")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n<script>alert(1)</script>",  # PNG signature followed by a script
        PNG + b"<html><script>alert(1)</script></html>",  # a real PNG with a page appended
        PNG[:-20],  # truncated
        b"\xff\xd8\xff\xe0" + b"<svg onload=alert(1)>",  # JPEG marker followed by SVG
        JPEG[: len(JPEG) // 2],  # truncated JPEG
        b"GIF89a" + b"\x00" * 40,  # another image type: not accepted
    ],
    ids=["png-header-script", "png-then-html", "png-truncated", "jpeg-header-svg", "jpeg-truncated", "gif"],
)
def test_image_polyglots_and_damaged_images_are_refused(data):
    _refused(data, "photo.png")


def test_download_name_is_sanitised_and_carries_the_served_type():
    assert download_name("../../etc/报告\u202e.fdp.exe", "application/pdf") == "报告.fdp.pdf"
    assert download_name("poly.html", "image/png") == "poly.png"
    assert download_name('a<b>:"c|?*\x00.pdf', "application/pdf") == "a_b_c.pdf"
    assert download_name("", "image/jpeg") == "file.jpg"


def test_stored_under_a_generated_name_with_the_detected_extension(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    name = store_upload(SimpleUploadedFile("poly.html", PNG), folder="x", mime="image/png")
    assert name.startswith("x/") and name.endswith(".png") and "poly" not in name
    assert (tmp_path / name).read_bytes() == PNG
    assert [p.name for p in (tmp_path / "x").iterdir()] == [name.split("/")[1]]


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EROFS, errno.EDQUOT])
def test_a_disk_error_is_a_clear_message_and_leaves_nothing(settings, tmp_path, err):
    settings.MEDIA_ROOT = str(tmp_path)
    upload = ContentFile(PDF * 50, name="report.pdf")
    upload.DEFAULT_CHUNK_SIZE = 1024  # several chunks: the first is written, the second fails
    real_fdopen = os.fdopen
    calls = []

    class FillingDisk:
        """The real file, until the disk fills up on the second write."""

        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            calls.append(len(data))
            if len(calls) > 1:
                raise OSError(err, os.strerror(err))
            return self.fh.write(data)

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    with (
        mock.patch("core.storage.os.fdopen", lambda fd, mode: FillingDisk(real_fdopen(fd, mode))),
        pytest.raises(ValidationError) as exc,
    ):
        store_upload(upload, folder="x", mime="application/pdf")
    assert exc.value.code == "storage" and "report.pdf" in exc.value.messages[0]
    assert len(calls) == 2
    assert list(tmp_path.rglob("*.*")) == [] and not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_read_only_media_folder_is_a_clear_message(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with (
        mock.patch("core.storage.tempfile.mkstemp", side_effect=OSError(errno.EROFS, "Read-only file system")),
        pytest.raises(ValidationError) as exc,
    ):
        store_upload(SimpleUploadedFile("a.pdf", PDF), folder="x", mime="application/pdf")
    assert exc.value.code == "storage"
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]

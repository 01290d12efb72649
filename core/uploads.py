"""Upload checks shared by every form that takes files: type by content, size limits, safe storage.

A file is accepted only when it *is* what it claims to be: a PDF must open with a PDF parser and
have at least one page, an image must decode with Pillow. Word, Excel and OFD files are refused on
purpose (see the README): evidence must look the same to every expert and the committee, and Office
files carry macros and external links; every office suite exports PDF.
"""

from __future__ import annotations

import errno
import logging
import re
import unicodedata
import uuid
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    mime: str
    ext: str


# Kind name -> the type served and the extension stored, both decided by the content.
KINDS = {
    "pdf": Kind("application/pdf", "pdf"),
    "jpeg": Kind("image/jpeg", "jpg"),
    "png": Kind("image/png", "png"),
}
DEFAULT_KINDS = ("pdf", "jpeg", "png")
MIME_EXT = {k.mime: k.ext for k in KINDS.values()}
EXT_MIME = {k.ext: k.mime for k in KINDS.values()}

# What a browser sniffs as a page or a script. Never inside a genuine PDF's first kilobyte (where
# browsers look) nor anywhere in a genuine image, whose data is compressed.
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|a\s)|javascript:", re.I)


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _is_pdf(data: bytes) -> bool:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        return False  # no header, or truncated (the end-of-file marker is missing)
    if _MARKUP.search(data[:1024]):
        return False  # a PDF header followed by HTML or SVG
    import io  # noqa: PLC0415 -- only needed here

    from pypdf import PdfReader  # noqa: PLC0415 -- loaded only when a PDF is checked
    from pypdf.errors import PyPdfError  # noqa: PLC0415 -- loaded only when a PDF is checked

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return False  # experts could not open it
        return len(reader.pages) >= 1 and reader.pages[0].mediabox.width > 0
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError, OSError):
        return False


def _image_format(data: bytes) -> str | None:
    import io  # noqa: PLC0415 -- only needed here

    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 -- loaded only when an image is checked

    if _MARKUP.search(data):
        return None  # an image header followed by a page or a script
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format
            img.load()  # decode every pixel: a forged image fails here
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    # A complete file ends with its end marker (Pillow decodes a PNG that lost its last chunks).
    end = {"PNG": b"IEND\xaeB`\x82", "JPEG": b"\xff\xd9"}.get(fmt)
    if end and not data.rstrip(b"\x00").endswith(end):
        return None
    return fmt


def detect_kind(upload, kinds: tuple[str, ...] = DEFAULT_KINDS) -> Kind | None:
    """The kind the file's content proves, among `kinds`, or None."""
    data = _read_all(upload)
    if "pdf" in kinds and data.startswith(b"%PDF-"):
        return KINDS["pdf"] if _is_pdf(data) else None
    image_kinds = {"jpeg": "JPEG", "png": "PNG"}
    wanted = {image_kinds[k] for k in kinds if k in image_kinds}
    if wanted:
        fmt = _image_format(data)
        if fmt in wanted:
            return KINDS[fmt.lower()]
    return None


def sniff_mime(upload) -> str | None:
    """The MIME type the file's content proves, or None."""
    kind = detect_kind(upload)
    return kind.mime if kind else None


def validate_upload(upload, *, max_bytes: int, kinds: tuple[str, ...] = DEFAULT_KINDS) -> str:
    """Refuse empty, oversized or wrongly typed files with a message naming the file and the limit.

    Returns the MIME type recognised from the content.
    """
    name = getattr(upload, "name", "") or _("the file")
    if not upload.size:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s per file.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    kind = detect_kind(upload, kinds)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not a %(kinds)s file, or it is damaged (its content was checked, not only its name).")
            % {"name": name, "kinds": " / ".join(k.upper() for k in kinds)},
            code="file_type",
        )
    return kind.mime


def store_upload(upload, *, folder: str, mime: str, storage=None) -> str:
    """Save a checked file under a generated name with the extension of its detected type.

    The storage writes to a temporary file and renames it (core.storage), so nothing partial stays
    on disk; an OS error (disk full, read-only) or a bucket that cannot be reached or refuses the
    write becomes a ValidationError the form can show.
    Returns the stored name.
    """
    storage = storage or default_storage
    name = f"{folder.rstrip('/')}/{uuid.uuid4().hex}.{MIME_EXT.get(mime, 'bin')}"
    upload.seek(0)
    try:
        return storage.save(name, upload)
    except OSError as exc:
        logger.error("upload not stored (%s): %s", errno.errorcode.get(exc.errno or 0, exc.errno), exc)
        raise ValidationError(storage_error_message(upload), code="storage") from exc
    except (BotoCoreError, ClientError) as exc:  # the bucket unreachable, full or refusing the keys
        logger.error("upload not stored in the bucket: %s", exc)
        raise ValidationError(storage_error_message(upload), code="storage") from exc


def storage_error_message(upload) -> str:
    return _(
        "“%(name)s” could not be stored: the server cannot write files at the moment. Nothing was "
        "saved; what you typed is kept below. Please try again later or tell the award office."
    ) % {"name": getattr(upload, "name", "") or _("the file")}


def discard_stored(name: str, storage=None) -> None:
    """Remove a stored file again (its database row was not written)."""
    if name:
        try:
            (storage or default_storage).delete(name)
        except OSError:
            logger.exception("could not remove %s", name)


_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def download_name(original: str, mime: str, *, fallback: str = "file") -> str:
    """A download name safe for every browser and file system: no path, no control or reserved
    characters, no invisible characters, and the extension of the type actually served."""
    base = unicodedata.normalize("NFKC", (original or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    base = "".join(ch for ch in base if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"})
    stem = _UNSAFE_NAME.sub("_", base.rsplit(".", 1)[0] if "." in base else base).strip(" ._")[:80]
    return f"{stem or fallback}.{MIME_EXT.get(mime, 'bin')}"


def mime_of_stored(name: str) -> str:
    """The type of a file this system stored (its extension was chosen from its content)."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return EXT_MIME.get(ext, "application/octet-stream")


def open_stored(field):
    """Open a stored file for a download view: a file missing from the disk or the bucket is a 404, not a 500."""
    if not field:
        raise Http404
    try:
        return field.open("rb")
    except FileNotFoundError:
        raise Http404 from None

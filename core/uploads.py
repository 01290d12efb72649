"""Upload checks shared by every form that takes files: type by content, size limits."""

from __future__ import annotations

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Kind name -> MIME types recognised from the file's first bytes (not from its name).
KINDS = {
    "pdf": {"application/pdf"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
}
DEFAULT_KINDS = ("pdf", "jpeg", "png")


def sniff_mime(upload) -> str | None:
    """The MIME type told by the file's content, or None."""
    pos = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(pos)
    kind = filetype.guess(head)
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
    mime = sniff_mime(upload)
    allowed = set().union(*(KINDS[k] for k in kinds))
    if mime not in allowed:
        raise ValidationError(
            _("“%(name)s” is not a %(kinds)s file (its content was checked, not only its name).")
            % {"name": name, "kinds": " / ".join(k.upper() for k in kinds)},
            code="file_type",
        )
    return mime

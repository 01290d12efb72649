"""Reading stored files in tests through the storage API, whichever storage is configured."""

from __future__ import annotations

import posixpath
import tempfile
from contextlib import contextmanager
from pathlib import Path


def stored_bytes(fieldfile) -> bytes:
    with fieldfile.storage.open(fieldfile.name, "rb") as f:
        return f.read()


def stored_siblings(fieldfile) -> list[str]:
    """The names of every file in the stored file's folder (temporary ones included), sorted."""
    return sorted(fieldfile.storage.listdir(posixpath.dirname(fieldfile.name))[1])


@contextmanager
def local_copy(source):
    """A path for tools that want one (pdftotext, pdftoppm): a path as it is, a stored file copied out."""
    if isinstance(source, (str, Path)):
        yield Path(source)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / posixpath.basename(source.name)
        path.write_bytes(stored_bytes(source))
        yield path

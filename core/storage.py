"""Media storage that never leaves a partial file behind."""

from __future__ import annotations

import os
import tempfile

from django.core.files.move import file_move_safe
from django.core.files.storage import FileSystemStorage


class AtomicFileSystemStorage(FileSystemStorage):
    """Writes each file to a temporary file in the target folder, then links it under its name.

    On a full or read-only disk (or any other error) the temporary file is removed and the error
    raised, so a reader never finds a truncated file under the final name.
    """

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".partial-", dir=directory)
        try:
            if hasattr(content, "temporary_file_path"):
                os.close(fd)
                file_move_safe(content.temporary_file_path(), tmp, allow_overwrite=True)
            else:
                with os.fdopen(fd, "wb") as fh:
                    for chunk in content.chunks():
                        fh.write(chunk)
                    fh.flush()
                    os.fsync(fh.fileno())
            os.chmod(tmp, self.file_permissions_mode if self.file_permissions_mode is not None else 0o644)
            while True:
                try:
                    os.link(tmp, full_path)  # unlike rename(), never replaces an existing file
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return str(name).replace("\\", "/")

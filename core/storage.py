"""Media storage that never leaves a partial file behind."""

from __future__ import annotations

import io
import os
import tempfile

from botocore.config import Config
from botocore.exceptions import ClientError
from django.core.files import File
from django.core.files.move import file_move_safe
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class AtomicFileSystemStorage(FileSystemStorage):
    """Writes each file to a temporary file in the target folder, then links it under its name.

    On a full or read-only disk (or any other error) the temporary file is removed and the error
    raised, so a reader never finds a truncated file under the final name.
    """

    def _partial(self, full_path: str, content, *, move: bool) -> str:
        """`content` written in full (fsync'd, with the storage's permissions) to a temporary file
        beside `full_path`, for `_save` and `replace` to put in place; `move`: an upload Django
        already spooled to disk is moved there instead of copied."""
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".partial-", dir=directory)
        try:
            if move and hasattr(content, "temporary_file_path"):
                os.close(fd)
                file_move_safe(content.temporary_file_path(), tmp, allow_overwrite=True)
            else:
                with os.fdopen(fd, "wb") as fh:
                    for chunk in content.chunks():
                        fh.write(chunk)
                    fh.flush()
                    os.fsync(fh.fileno())
            os.chmod(tmp, self.file_permissions_mode if self.file_permissions_mode is not None else 0o644)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return tmp

    def _save(self, name, content):
        full_path = self.path(name)
        tmp = self._partial(full_path, content, move=True)
        try:
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

    def replace(self, name: str, content) -> str:
        """Write `content` under exactly `name`, replacing a file already there in one rename.

        Readers see the old file or the new one, never half of one (what a re-rendered PDF needs).
        """
        full_path = self.path(name)
        tmp = self._partial(full_path, content, move=False)
        try:
            os.replace(tmp, full_path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return str(name).replace("\\", "/")


class S3ObjectStream(io.RawIOBase):
    """A stored object read as a stream: each read pulls the next bytes of one GET, nothing more.

    django-storages' own S3File downloads the whole object into a (by default in-memory) spooled
    file before the first byte can be sent; a download view streams this instead. seek() is
    supported by starting a ranged GET at the new position, so FileResponse can measure the length.
    """

    def __init__(self, obj, size: int):
        super().__init__()
        self._obj = obj
        self._size = size
        self._pos = 0
        self._body = None

    @property
    def size(self) -> int:
        return self._size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        position = max(0, base + offset)
        if position != self._pos:
            self._drop_body()
            self._pos = position
        return self._pos

    def read(self, size: int = -1) -> bytes:
        if self._pos >= self._size:
            return b""
        if self._body is None:
            # IfMatch: every GET reads the version whose size was measured, never a newer one's bytes.
            kwargs = {"IfMatch": self._obj.e_tag} if self._obj.e_tag else {}
            if self._pos:
                kwargs["Range"] = f"bytes={self._pos}-"
            self._body = self._obj.get(**kwargs)["Body"]
        data = self._body.read(None if size is None or size < 0 else size)
        self._pos += len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self) -> None:
        self._drop_body()
        super().close()


class S3StreamFile(File):
    """A django File over an S3ObjectStream that can be opened again after it was closed (FieldFile.open)."""

    def open(self, mode=None):  # noqa: ARG002 -- always read as bytes, as the storage opened it
        if self.closed:
            self.file = S3ObjectStream(self.file._obj, self.file.size)
        else:
            self.seek(0)
        return self


@deconstructible
class PrivateS3Storage(S3Storage):
    """Media in an S3-compatible bucket: private objects, names never overwritten, reads streamed.

    Objects are written with the private ACL and the storage never hands out a public URL: every
    download goes through a permission-checked view (core settings: MEDIA_STORAGE=s3).
    """

    # botocore waits 60 s to connect by default: a request must not hang that long on a store that is down.
    TIMEOUTS = Config(connect_timeout=5, read_timeout=60, retries={"mode": "standard", "max_attempts": 3})

    def __init__(self, **settings):
        given = "client_config" in settings
        super().__init__(**settings)
        if not given:
            self.client_config = self.client_config.merge(self.TIMEOUTS)

    def get_default_settings(self):
        return {**super().get_default_settings(), "default_acl": "private", "file_overwrite": False}

    def _open(self, name, mode="rb"):
        if mode not in ("rb", "r"):
            return super()._open(name, mode)
        key = self._normalize_name(clean_name(name))
        obj = self.bucket.Object(key)
        try:
            size = obj.content_length  # one HEAD: a missing object fails here, as a missing local file does
        except ClientError as err:
            if err.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(f"File does not exist: {name}") from err
            raise
        return S3StreamFile(S3ObjectStream(obj, size), name=name)

    def replace(self, name: str, content) -> str:
        """Write under exactly `name`; one PUT replaces an object whole, so readers never see half of one."""
        return self._save(name, content)

    def url(self, name, parameters=None, expire=None, http_method=None):  # noqa: ARG002 -- same signature as S3Storage.url
        # No URL that bypasses the permission check, presigned or public; "" lets the admin's file
        # widget show the name without a link instead of failing.
        return ""


def storage_replace(storage, name: str, content) -> str:
    """Store `content` under exactly `name`, replacing what is there (storages without replace(): delete, save)."""
    if hasattr(storage, "replace"):
        return storage.replace(name, content)
    storage.delete(name)
    return storage.save(name, content)

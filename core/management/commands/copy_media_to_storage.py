"""Copy the local media folder into the configured storage (the S3 bucket), checking every file's SHA-256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from botocore.exceptions import BotoCoreError, ClientError
from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from core.scopes import in_every_programme
from core.storage import storage_replace

CHUNK = 1024 * 1024


def referenced_names() -> list[str]:
    """Every name a FileField of any model holds, once, in a stable order."""
    names: set[str] = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField) and not f.auto_created:
                names.update(
                    model._default_manager.exclude(**{f.name: ""})
                    .exclude(**{f"{f.name}__isnull": True})
                    .values_list(f.name, flat=True)
                    .distinct()
                )
    return sorted(names)


def sha256_of(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Tally:
    copied: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    missing_locally: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)


class Command(BaseCommand):
    help = (
        "Copy every file a FileField refers to from the local MEDIA_ROOT into the configured default "
        "storage (MEDIA_STORAGE=s3) under the same name, and verify each by SHA-256 read back. "
        "Idempotent: files already there and equal are left alone. Exits non-zero on a mismatch."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--source", default=None, help="the local media folder (default: MEDIA_ROOT)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite an object already in the storage whose content differs (default: report it)",
        )

    @in_every_programme
    def handle(self, *args, dry_run: bool = False, source: str | None = None, replace: bool = False, **options):
        self.verbosity = options.get("verbosity", 1)
        local = FileSystemStorage(location=source or settings.MEDIA_ROOT)
        target = storages["default"]
        if isinstance(target, FileSystemStorage) and target.location == local.location:
            raise CommandError("The default storage is the local media folder itself: set MEDIA_STORAGE=s3 first.")
        tally = Tally()
        for name in referenced_names():
            try:
                self._one(name, local, target, tally, dry_run=dry_run, replace=replace)
            except (BotoCoreError, ClientError) as exc:  # unreachable, no such bucket, refused keys
                raise CommandError(f"The storage refused {name} ({exc}); {len(tally.copied)} copied so far.") from exc
        verb = "to copy" if dry_run else "copied"
        self.stdout.write(
            f"Media{' (dry run)' if dry_run else ''}: {len(tally.copied)} {verb}, "
            f"{len(tally.already_there)} already there and equal, {len(tally.missing_locally)} missing locally, "
            f"{len(tally.mismatched)} mismatched."
        )
        for name in tally.missing_locally:
            self.stdout.write(f"  missing locally: {name}")
        for name in tally.mismatched:
            self.stderr.write(f"  mismatched: {name}")
        if tally.mismatched:
            raise CommandError(f"{len(tally.mismatched)} file(s) differ between the local folder and the storage.")

    def _one(self, name: str, local, target, tally: Tally, *, dry_run: bool, replace: bool) -> None:
        if not local.exists(name):
            tally.missing_locally.append(name)
            return
        expected = sha256_of(local, name)
        if target.exists(name):
            if sha256_of(target, name) == expected:
                tally.already_there.append(name)
                return
            if not replace:
                tally.mismatched.append(name)
                return
        if dry_run:
            tally.copied.append(name)
            return
        with local.open(name, "rb") as fh:
            stored = storage_replace(target, name, File(fh, name=name))
        if stored != name or sha256_of(target, name) != expected:
            tally.mismatched.append(name)
        else:
            tally.copied.append(name)
        if self.verbosity > 1:
            self.stdout.write(f"  {'copied' if name in tally.copied else 'mismatched after upload'}: {name}")

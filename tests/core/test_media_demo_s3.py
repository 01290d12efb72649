"""The whole demo on object storage: seed_demo with MEDIA_STORAGE=s3 writes every file into the bucket, none to disk."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from certificates.models import Certificate
from core.management.commands.copy_media_to_storage import referenced_names, sha256_of

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


def test_seed_demo_puts_every_file_in_the_bucket(settings, tmp_path, s3_media):
    settings.MEDIA_ROOT = str(tmp_path)  # after the switch: nothing may land here
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    names = referenced_names()
    folders = {name.split("/", 1)[0] for name in names}
    assert {"certificates", "committee", "onsite"} <= folders, folders
    assert all(default_storage.exists(name) for name in names)
    assert [p for p in Path(tmp_path).rglob("*") if p.is_file()] == []
    for cert in Certificate.objects.exclude(file=""):
        assert sha256_of(default_storage, cert.file.name) == cert.checksum
    assert hashlib.sha256(b"").hexdigest() not in {sha256_of(default_storage, n) for n in names}  # none empty

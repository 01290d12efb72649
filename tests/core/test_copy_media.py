"""manage.py copy_media_to_storage: local media into the S3 bucket of the real test server, checked by SHA-256."""

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from awards import services
from awards.demo import minimal_pdf
from awards.enums import AttachmentKind
from awards.models import ApplicationAttachment
from tests.factories.awards import pdf_file
from tests.s3server import use_bucket

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


@pytest.fixture
def local_media(settings, tmp_path, application_a, applicant_a):
    """Two attachments stored on the local disk (the default storage before the switch), one row without a file."""
    settings.MEDIA_ROOT = str(tmp_path)
    made = [
        services.attachment_add(
            application=application_a,
            kind=AttachmentKind.OTHER,
            description=f"材料 {n}",
            upload=pdf_file(f"m{n}.pdf", text=f"Material {n}"),
            by=applicant_a,
        )
        for n in (1, 2)
    ]
    gone = services.attachment_add(
        application=application_a,
        kind=AttachmentKind.OTHER,
        description="已删除的材料",
        upload=pdf_file("gone.pdf"),
        by=applicant_a,
    )
    (tmp_path / gone.file.name).unlink()
    return made, gone


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("copy_media_to_storage", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _bucket_bytes(name: str) -> bytes:
    with default_storage.open(name) as f:
        return f.read()


def test_it_copies_verifies_and_is_idempotent(settings, s3_server, local_media, tmp_path):
    made, gone = local_media
    use_bucket(settings, s3_server)

    out, _ = _run()
    assert "2 copied, 0 already there and equal, 1 missing locally, 0 mismatched" in out
    assert gone.file.name in out
    for att in made:
        data = _bucket_bytes(att.file.name)
        assert data == (tmp_path / att.file.name).read_bytes() and hashlib.sha256(data).hexdigest() == att.sha256

    out, _ = _run()
    assert "0 copied, 2 already there and equal, 1 missing locally, 0 mismatched" in out


def test_dry_run_writes_nothing(settings, s3_server, local_media):
    made, _ = local_media
    use_bucket(settings, s3_server)
    out, _ = _run("--dry-run")
    assert "(dry run): 2 to copy, 0 already there and equal, 1 missing locally, 0 mismatched" in out
    assert not any(default_storage.exists(att.file.name) for att in made)


def test_a_different_object_under_the_same_name_fails_the_run(settings, s3_server, local_media):
    made, _ = local_media
    use_bucket(settings, s3_server)
    default_storage.save(made[0].file.name, ContentFile(minimal_pdf("Someone else's")))
    with pytest.raises(CommandError, match="1 file"):
        _run()
    assert hashlib.sha256(_bucket_bytes(made[0].file.name)).hexdigest() != made[0].sha256  # left, not overwritten
    assert default_storage.exists(made[1].file.name)  # the others were still copied

    out, _ = _run("--replace")
    assert "1 copied, 1 already there and equal, 1 missing locally, 0 mismatched" in out
    assert hashlib.sha256(_bucket_bytes(made[0].file.name)).hexdigest() == made[0].sha256


def test_it_refuses_to_copy_the_local_folder_onto_itself(local_media):
    with pytest.raises(CommandError, match="MEDIA_STORAGE=s3"):
        _run()
    assert ApplicationAttachment.objects.count() == 3


def test_a_storage_that_refuses_the_keys_stops_with_a_message(settings, s3_server, local_media):
    use_bucket(settings, s3_server)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {**s3_server.storage_options(), "secret_key": "wrong"}},
    }
    with pytest.raises(CommandError, match="The storage refused"):
        _run()

"""core.storage.PrivateS3Storage against the real S3 test server (SeaweedFS started by the run)."""

import hashlib
import tracemalloc

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse

from core.storage import PrivateS3Storage, storage_replace
from core.uploads import store_upload

pytestmark = [pytest.mark.s3, pytest.mark.usefixtures("s3_media")]


def test_default_storage_is_the_bucket_and_names_are_never_overwritten():
    first = default_storage.save("docs/a.txt", ContentFile(b"first"))
    second = default_storage.save("docs/a.txt", ContentFile(b"second"))
    assert isinstance(default_storage._wrapped, PrivateS3Storage)
    assert default_storage.client_config.connect_timeout == 5  # not botocore's 60 s
    assert default_storage.client_config.s3 == {"addressing_style": "path"}
    assert first == "docs/a.txt" and second != first and second.startswith("docs/a_")
    with default_storage.open(first) as f:
        assert f.read() == b"first"
    assert default_storage.size(second) == len(b"second")


def test_objects_are_private_and_no_url_is_handed_out(s3_media):
    name = default_storage.save("private/b.txt", ContentFile(b"secret"))
    anonymous = boto3.client(
        "s3", endpoint_url=s3_media.endpoint_url, region_name="us-east-1", config=Config(signature_version=UNSIGNED)
    )
    key = f"{default_storage.location}/{name}"
    with pytest.raises(ClientError) as denied:
        anonymous.get_object(Bucket=default_storage.bucket_name, Key=key)
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] in (401, 403)
    assert s3_media.client().get_object(Bucket=default_storage.bucket_name, Key=key)["Body"].read() == b"secret"
    assert default_storage.url(name) == ""


def test_a_missing_object_is_file_not_found(s3_media):
    with pytest.raises(FileNotFoundError):
        default_storage.open("nowhere/missing.pdf")


def test_replace_keeps_the_name(s3_media):
    name = storage_replace(default_storage, "certificates/x.pdf", ContentFile(b"old"))
    assert storage_replace(default_storage, name, ContentFile(b"new")) == name
    with default_storage.open(name) as f:
        assert f.read() == b"new"


def test_reads_seek_with_ranged_gets(s3_media):
    data = bytes(range(256)) * 40
    name = default_storage.save("seek/c.bin", ContentFile(data))
    with default_storage.open(name) as f:
        assert f.read(10) == data[:10]
        f.seek(5000)
        assert f.tell() == 5000 and f.read(100) == data[5000:5100]
        f.seek(0)
        assert f.read() == data


@pytest.mark.django_db  # closing a response sends request_finished, which looks at the database connection
def test_a_large_download_is_streamed_not_read_whole(s3_media):
    """8 MB through FileResponse: the bytes arrive intact and Python never holds much of them at once."""
    block = hashlib.sha256(b"seed").digest() * 32768  # 1 MiB
    data = block * 8
    name = default_storage.save("large/d.bin", ContentFile(data))
    del block
    tracemalloc.start()
    try:
        response = FileResponse(default_storage.open(name), content_type="application/octet-stream")
        assert int(response["Content-Length"]) == len(data)
        digest = hashlib.sha256()
        for chunk in response.streaming_content:
            digest.update(chunk)
        response.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    assert peak < 2 * 1024 * 1024, f"peak {peak} bytes while streaming {len(data)}"


def test_a_bucket_that_cannot_be_reached_is_a_clear_message(s3_media):

    options = {**s3_media.storage_options("down"), "endpoint_url": "http://127.0.0.1:9"}  # the discard port: refused
    down = PrivateS3Storage(**options, client_config=Config(connect_timeout=1, retries={"max_attempts": 1}))
    with pytest.raises(ValidationError) as refused:
        store_upload(SimpleUploadedFile("report.pdf", b"%PDF-1.4"), folder="x", mime="application/pdf", storage=down)
    assert refused.value.code == "storage" and "report.pdf" in refused.value.messages[0]


def test_wrong_keys_are_a_clear_message_too(s3_media):

    wrong = PrivateS3Storage(**{**s3_media.storage_options("wrong"), "secret_key": "not-the-secret"})
    with pytest.raises(ValidationError) as refused:
        store_upload(SimpleUploadedFile("scan.pdf", b"%PDF-1.4"), folder="x", mime="application/pdf", storage=wrong)
    assert refused.value.code == "storage"


def test_a_stored_file_can_be_opened_again_after_closing():
    name = default_storage.save("again/e.txt", ContentFile(b"twice"))
    f = default_storage.open(name)
    assert f.size == 5 and f.read() == b"twice"
    f.close()
    with f.open("rb"):
        assert f.read() == b"twice"


def test_a_stream_never_mixes_two_versions_of_an_object():
    name = storage_replace(default_storage, "versions/f.pdf", ContentFile(b"version one"))
    f = default_storage.open(name)  # its size and version measured here
    storage_replace(default_storage, name, ContentFile(b"version two, which is longer"))
    with pytest.raises(ClientError) as changed:
        f.read()
    assert changed.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    with default_storage.open(name) as again:
        assert again.read() == b"version two, which is longer"

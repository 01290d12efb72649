"""Production settings refuse the placeholders, log one JSON line per event, switch on error reports."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k3J9-" + "x7Qm2vR8tLp4Zw6Yb1Nc5Hd0Fg" * 2  # 57 characters, not a placeholder


def run(code: str, settings: str = "config.settings.production", **env_vars) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_KEY", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings,
            "SECRET_KEY": GOOD_KEY,
            "DATABASE_URL": "postgres://mqa:A-real-secret-4242@db:5432/mqa",
            "REDIS_URL": "redis://redis:6379/0",
            "ALLOWED_HOSTS": "award.example.org",
        }
    )
    env.update(env_vars)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_good_values_start():
    result = run("from django.conf import settings; print(settings.MFA_REQUIRED, settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"SECRET_KEY": "change-me-to-a-long-random-string-of-at-least-fifty-characters"}, "example value"),
        ({"SECRET_KEY": "dev-insecure-key-change-me-0123456789abcdefghijklmnop"}, "example value"),
        ({"SECRET_KEY": "x" * 49}, "too short"),
        ({"DATABASE_URL": "postgres://mqa:change-me@db:5432/mqa"}, "database password"),
        ({"CACHE_URL": "redis://redis:6379/0"}, "share a Redis database"),
        ({"MEDIA_STORAGE": "s3", "AWS_SECRET_ACCESS_KEY": "change-me-to-a-long-random-media-secret"}, "example values"),
        ({"MEDIA_STORAGE": "disk"}, "use local or s3"),
    ],
)
def test_placeholders_are_refused(variables, message):
    result = run("", **variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_the_cache_and_the_broker_use_separate_redis_databases():
    result = run(
        "from django.conf import settings; print(settings.CACHES['default']['LOCATION'], settings.CELERY_BROKER_URL)"
    )
    assert result.stdout.split() == ["redis://redis:6379/1", "redis://redis:6379/0"]


def test_admins_from_the_environment_get_error_mails():
    result = run(
        "from django.conf import settings; import json; print(json.dumps(settings.ADMINS))",
        ADMINS="Ops Team <ops@example.org>, duty@example.org",
    )
    assert json.loads(result.stdout) == [["Ops Team", "ops@example.org"], ["", "duty@example.org"]]


def test_sentry_is_off_without_a_dsn_and_on_with_one():
    code = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    assert run(code).stdout.strip() == "False"
    assert run(code, SENTRY_DSN="https://public@sentry.example.org/1").stdout.strip() == "True"


def test_production_logs_one_json_line_per_event():
    result = run(
        "import logging\n"
        "logging.getLogger('django.request').warning('Not Found: /x')\n"
        "logging.getLogger('reviews.tasks').info('reminders sent')\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    logging.getLogger('core').exception('boom')\n"
    )
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3, result.stderr
    entries = [json.loads(line) for line in lines]
    assert [(e["level"], e["logger"], e["message"]) for e in entries] == [
        ("WARNING", "django.request", "Not Found: /x"),
        ("INFO", "reviews.tasks", "reminders sent"),
        ("ERROR", "core", "boom"),
    ]
    assert all(e["time"].endswith("+00:00") for e in entries)
    assert "ZeroDivisionError" in entries[2]["exc_info"]


def test_development_logs_each_line_once_as_text():
    result = run(
        "import logging\nlogging.getLogger('django.request').warning('Not Found: /x')\n"
        "logging.getLogger('django.server').info('\"GET / HTTP/1.1\" 200 5')\n",
        settings="config.settings.local",
        DEBUG="true",
        DATABASE_URL="sqlite:///:memory:",
    )
    lines = [line for line in result.stderr.splitlines() if "Redis" not in line]
    assert len(lines) == 2, result.stderr
    assert " WARNING django.request Not Found: /x" in lines[0]
    assert " INFO django.server " in lines[1]


# --- the compose file and the image ---------------------------------------------------------------


def compose():
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_only_the_proxy_publishes_a_port():
    services = compose()["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert services["proxy"]["image"].startswith("caddy")
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "dynamic a web 8000" in caddyfile and "lb_policy round_robin" in caddyfile


def test_the_web_server_is_gunicorn_itself_with_a_graceful_timeout():
    web = compose()["services"]["web"]
    command = web["command"]
    assert "\n" not in command and command.startswith("gunicorn ") and "--graceful-timeout 30" in command
    assert "--config config/gunicorn_conf.py" in command
    assert web["stop_grace_period"] == "40s"


def test_web_replicas_start_after_the_migrations_ran_once():
    services = compose()["services"]
    web = services["web"]
    assert web["deploy"]["replicas"] >= 2 and "migrate" not in web["command"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert {"db", "redis"} <= set(web["depends_on"])
    assert services["migrate"]["command"] == "python manage.py migrate --noinput"
    assert services["migrate"]["restart"] == "no"


def test_beat_has_a_healthcheck_and_cache_and_broker_differ():
    services = compose()["services"]
    assert "beat_healthcheck.py" in " ".join(services["beat"]["healthcheck"]["test"])
    env = services["web"]["environment"]
    assert env["REDIS_URL"].rsplit("/", 1)[1] != env["CACHE_URL"].rsplit("/", 1)[1]


def test_media_live_in_the_object_store_not_on_a_shared_volume():
    services = compose()["services"]
    store = services["objectstore"]
    assert store["image"].startswith("chrislusf/seaweedfs") and not store.get("ports")
    assert any(v.endswith(":/data") for v in store["volumes"]) and "objectdata" in compose()["volumes"]
    assert "-s3" in store["command"][0] and "healthcheck" in store
    for name in ("web", "worker", "beat"):
        service = services[name]
        env = service["environment"]
        assert env["MEDIA_STORAGE"] == "s3" and env["AWS_S3_ENDPOINT_URL"].endswith("objectstore:8333}")
        assert not [v for v in service.get("volumes", []) if v.startswith("media:")]
        assert "objectstore" in service["depends_on"]


def test_s3_media_settings_come_from_the_environment():
    result = run(
        "from django.core.files.storage import storages; d = storages['default'];"
        "print(type(d).__name__, d.bucket_name, d.endpoint_url, d.default_acl, d.file_overwrite)",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="award-media",
        AWS_S3_ENDPOINT_URL="http://objectstore:8333",
        AWS_ACCESS_KEY_ID="k" * 20,
        AWS_SECRET_ACCESS_KEY="s" * 40,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "PrivateS3Storage",
        "award-media",
        "http://objectstore:8333",
        "private",
        "False",
    ]


def test_dockerignore_keeps_secrets_media_and_databases_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", "media", "db.sqlite3*", "*.sqlite3"} <= ignored
    assert "!.env.example" in ignored


def test_beat_healthcheck_reads_the_schedule_files_age(tmp_path):
    script = ROOT / "scripts" / "beat_healthcheck.py"
    schedule = tmp_path / "celerybeat-schedule"
    check = [sys.executable, str(script), str(schedule), "600"]
    assert subprocess.run(check).returncode == 1  # no file yet
    (tmp_path / "celerybeat-schedule.db").write_bytes(b"x")
    assert subprocess.run(check).returncode == 0
    old = 1_000_000_000
    os.utime(tmp_path / "celerybeat-schedule.db", (old, old))
    assert subprocess.run(check).returncode == 1

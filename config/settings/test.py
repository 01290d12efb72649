"""Test settings: PostgreSQL when reachable (required when CI=true), fast hashing, locmem mail."""

import sys
import tempfile

from django.core.exceptions import ImproperlyConfigured

from config.netcheck import tcp_reachable

from .base import *  # noqa: F403
from .base import env

CI = env.bool("CI", default=False)

if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
elif tcp_reachable("127.0.0.1", 5432):
    DATABASES = {"default": env.db_url_config("postgres://postgres@127.0.0.1:5432/mqa")}
elif CI:
    raise ImproperlyConfigured("CI=true but PostgreSQL is not reachable at 127.0.0.1:5432.")
else:
    print("NOTICE: PostgreSQL is not reachable; tests run on SQLite.", file=sys.stderr)
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

# A connection per test and per task, as Django's test runner expects (no connection outlives a test).
DATABASES["default"]["CONN_MAX_AGE"] = 0

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A worker process started by a test may write its mail to files the test reads (tests/core/test_outbox_worker.py).
if env("TEST_EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("TEST_EMAIL_FILE_PATH")
# A worker process started by tests/worker.py shares the test run's media folder.
MEDIA_ROOT = env("TEST_MEDIA_ROOT", default="") or tempfile.mkdtemp(prefix="mqa-test-media-")
# Eager in the test run itself; a real worker started by tests/worker.py sends its retries through Redis.
CELERY_TASK_ALWAYS_EAGER = not env.bool("MQA_TEST_WORKER", default=False)
# Tests that want a real worker use this broker database so they never meet a developer's queue.
TEST_REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/14")
CELERY_BROKER_URL = TEST_REDIS_URL
CELERY_RESULT_BACKEND = TEST_REDIS_URL
# A web process started as one of two replicas (tests/deploy/test_replicas.py) keeps its cache, and so
# its rate limits (RATELIMIT_STORE=redis), in Redis as production does, under a prefix of its own run.
if env("TEST_CACHE_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("TEST_CACHE_URL"),
            "KEY_PREFIX": env("TEST_CACHE_PREFIX", default=""),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# Local media whatever MEDIA_STORAGE says; the S3 tests switch to a bucket on the SeaweedFS server
# the run starts (tests/core/conftest.py: s3_media).
STORAGES = {
    "default": {"BACKEND": "core.storage.AtomicFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AUDIT_WITNESS_KEY = "test-audit-witness-key"
AUDIT_WITNESS_DIR = tempfile.mkdtemp(prefix="mqa-test-witness-")

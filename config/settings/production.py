"""Production: everything from the environment, secure cookies, HSTS, JSON logs, error reports.

Refuses to start with the placeholders of .env.example or the development defaults."""

from email.utils import getaddresses
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CELERY_BROKER_URL,
    DATABASES,
    DEFAULT_FROM_EMAIL,
    LOGGING,
    MEDIA_STORAGE,
    REDIS_URL,
    S3_MEDIA_OPTIONS,
    SECRET_KEY,
    env,
)

DEBUG = False

# The values .env.example ships with: a copied example must not go live.
EXAMPLE_SECRET_KEY = "change-me-to-a-long-random-string-of-at-least-fifty-characters"
EXAMPLE_DB_PASSWORDS = {"change-me"}

if SECRET_KEY == EXAMPLE_SECRET_KEY or SECRET_KEY.startswith(("dev-insecure", "change-me")):
    raise ImproperlyConfigured("SECRET_KEY is the example value: set a random string of at least 50 characters.")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY is too short: set a random string of at least 50 characters.")
if DATABASES["default"].get("PASSWORD") in EXAMPLE_DB_PASSWORDS:
    raise ImproperlyConfigured("The database password is the example value: set POSTGRES_PASSWORD to a secret.")
if MEDIA_STORAGE == "s3" and any(
    (S3_MEDIA_OPTIONS[k] or "").startswith("change-me") for k in ("access_key", "secret_key")
):
    raise ImproperlyConfigured(
        "The media bucket's keys are the example values: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
    )

MFA_REQUIRED = env.bool("MFA_REQUIRED", default=True)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")


def _redis_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


# The cache lives in its own Redis database: flushing it (or its keys expiring) never touches the queue.
CACHE_URL = env("CACHE_URL", default=_redis_db(REDIS_URL, 1))
if CACHE_URL.rstrip("/") == CELERY_BROKER_URL.rstrip("/"):
    raise ImproperlyConfigured("CACHE_URL and the Celery broker share a Redis database: give the cache its own.")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        # A request must not hang on an absent Redis: the rate limits then let it through.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
RATELIMIT_STORE = env("RATELIMIT_STORE", default="redis")

# Errors of requests are mailed to ADMINS ("Name <a@b>, c@d"); SERVER_EMAIL is their sender.
ADMINS = [(name, addr) for name, addr in getaddresses(env.list("ADMINS", default=[])) if addr]
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# One JSON object per line (time, level, logger, message, traceback) for the log collector.
LOGGING["root"]["handlers"] = ["json"]

SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=None),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,  # objectors and voters are named in requests: never send them
    )

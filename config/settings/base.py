"""Settings shared by every environment. Values come from the environment (django-environ)."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-key-change-me-0123456789abcdefghijklmnop")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The site's own name, for what belongs to no one programme (the header and footer of site-wide pages,
# the log-in page, account mails). A setting, not the default programme's name: the site is one
# deployment that may host several programmes (a province's portal), and an error page must name it
# without a database. Pages and mails about one programme say that programme's name instead.
SITE_NAME_ZH = env("SITE_NAME_ZH", default="郴州市市长质量奖")
SITE_NAME_EN = env("SITE_NAME_EN", default="Chenzhou Mayor Quality Award")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "core.apps.AxesConfig",  # django-axes, with a translated name
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_htmx",
    "django_filters",
    "core",
    "enterprises",
    "awards",
    "reviews",
    "committee",
    "certificates",
    "onsite",
    "printouts",
    "feedback",
    "vetting",
    "twofactor",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "awards.scoping.ProgrammeScopeMiddleware",
    "core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "twofactor.middleware.TwoFactorMiddleware",
    "core.middleware.OwnNotFoundPageMiddleware",  # DEBUG only
    "core.middleware.AdminSelectionMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
                "portal.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep a connection for a minute (checked before reuse) instead of opening one per request or per
# task: a Celery worker rendering certificates otherwise connects to PostgreSQL for every one.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must take two requests at once (an autosave racing a submit): WAL lets
    # readers run beside the writer, a writer waits up to SQLITE_BUSY_TIMEOUT seconds for the lock
    # instead of failing with "database is locked", and IMMEDIATE takes the write lock when a
    # transaction begins, so a transaction that read first cannot fail when it later writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# Log-in throttling: 5 failures lock for an hour both the account (from any address) and the client
# address (across every account it tried), so neither guessing one password from many addresses nor
# trying one password on many accounts gets far. An admin lifts a lock with `manage.py axes_reset`.
# Reverse proxies in front of the app that append to X-Forwarded-For (1 behind one TLS terminator).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.net.client_address"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# What axes records as the username is cut to the column's length: a 10,000-character "username"
# is a failed log-in like any other, not a database error.
AXES_USERNAME_CALLABLE = "core.net.login_username"

# Two-factor log-in (django-otp: TOTP app plus recovery codes). Whoever turned it on is always asked
# for a code; with MFA_REQUIRED admins and secretaries must set it up before anything else (production
# default on; `make run` off so the demo log-ins work with the password alone).
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Chenzhou Mayor Quality Award")
OTP_TOTP_THROTTLE_FACTOR = 1  # seconds, doubled after each wrong code on a device
OTP_STATIC_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Uploaded files are never served by the web server: only permission-checked views stream them.
MEDIA_URL = "/media-not-served/"
# Media: files on the local disk under MEDIA_ROOT (the embedded default), or with MEDIA_STORAGE=s3
# in an S3-compatible bucket (django-storages), so web replicas and workers share no disk. Either
# way the objects are private and only permission-checked views stream them.
MEDIA_STORAGE = env("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured(f"MEDIA_STORAGE is {MEDIA_STORAGE!r}: use local or s3.")
S3_MEDIA_OPTIONS = {
    "bucket_name": env("AWS_STORAGE_BUCKET_NAME", default="mqa-media"),
    "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),  # None: AWS itself
    "region_name": env("AWS_S3_REGION_NAME", default="us-east-1"),
    "access_key": env("AWS_ACCESS_KEY_ID", default=None),  # None: boto3's own chain (instance role...)
    "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
    "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="path"),  # path suits MinIO/SeaweedFS
    "signature_version": "s3v4",
    "default_acl": "private",
    "file_overwrite": False,
    "querystring_auth": True,
    "querystring_expire": 60,
}
STORAGES = {
    "default": (
        {"BACKEND": "core.storage.PrivateS3Storage", "OPTIONS": S3_MEDIA_OPTIONS}
        if MEDIA_STORAGE == "s3"
        else {"BACKEND": "core.storage.AtomicFileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="市长质量奖评审办 <award-office@example.org>")

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE: dict = {}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Where rate-limit counters live (core/ratelimit.py): "database" (shared by every process, the default)
# or "redis" (the default cache, production).
RATELIMIT_STORE = env("RATELIMIT_STORE", default="database")

# Content-Security-Policy: our pages load scripts and styles from our own origin only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Nothing a request needs may live in one web process (docs/deployment.md, "Running several web
# replicas"): sessions in the database, flash messages in a signed cookie (the session past its
# size), CSRF in a cookie, so any replica answers the next request of anyone.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

# Upload limits (enterprise attachments).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
APPLICATION_ATTACHMENTS_MAX_BYTES = env.int("APPLICATION_ATTACHMENTS_MAX_BYTES", default=200 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# One line per event with time, level and logger: text here, JSON in production. Django's own
# loggers hand their records to the root handler instead of printing them a second time.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s", "datefmt": "%Y-%m-%dT%H:%M:%S%z"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "text"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        # Error pages also reach ADMINS by mail (an empty ADMINS sends nothing).
        "django.request": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "axes": {"level": "WARNING"},
    },
}

# The development mailbox (core.devmail, DEBUG only): where `make run` keeps the e-mails it "sends".
DEV_MAIL_DIR = env("DEV_MAIL_DIR", default=str(BASE_DIR / ".dev-mail"))
DEBUG_TECHNICAL_404 = env.bool("DEBUG_TECHNICAL_404", default=False)

# Enterprises: how long an e-mail verification link works (seconds).
EMAIL_VERIFICATION_MAX_AGE = env.int("EMAIL_VERIFICATION_MAX_AGE", default=3 * 24 * 3600)

# reviews: daily reminders to experts with sheets due within three days or overdue (08:30 Asia/Shanghai).
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE["reviews-daily-reminders"] = {
    "task": "reviews.tasks.send_review_reminders",
    "schedule": crontab(hour=8, minute=30),
}
# Feedback reports (feedback app): approved reports are released once their date has come.
CELERY_BEAT_SCHEDULE["feedback-release-due"] = {
    "task": "feedback.tasks.release_due_reports",
    "schedule": crontab(hour=6, minute=0),
}
CELERY_BEAT_SCHEDULE["vetting-daily-opinion-reminders"] = {
    "task": "vetting.tasks.send_opinion_reminders",
    "schedule": crontab(hour=8, minute=40),
}
CELERY_BEAT_SCHEDULE["vetting-daily-presentation-reminders"] = {
    "task": "vetting.tasks.send_presentation_reminders",
    "schedule": crontab(hour=8, minute=45),
}
# Certificates (certificates app).
# The certificate serial prefix is the award programme's (awards.AwardProgramme.certificate_prefix).
DEFAULT_PROGRAMME = env("DEFAULT_PROGRAMME", default="chenzhou")  # the programme the root pages show
CERTIFICATE_RENDER_SOFT_TIME_LIMIT = env.int("CERTIFICATE_RENDER_SOFT_TIME_LIMIT", default=90)
CERTIFICATE_RENDER_TIME_LIMIT = env.int("CERTIFICATE_RENDER_TIME_LIMIT", default=120)
# A rendering claim older than this is taken as abandoned (its worker died): longer than the time limit.
CERTIFICATE_CLAIM_STALE_SECONDS = env.int("CERTIFICATE_CLAIM_STALE_SECONDS", default=150)
# A pending certificate untouched this long has lost its message; the sweeper below queues it again.
CERTIFICATE_REQUEUE_PENDING_SECONDS = env.int("CERTIFICATE_REQUEUE_PENDING_SECONDS", default=900)
CELERY_BEAT_SCHEDULE["certificates-requeue-stuck"] = {
    "task": "certificates.tasks.requeue_stuck_certificates",
    "schedule": 300.0,  # seconds
}
CERTIFICATE_RENDER_DELAY = env.float("CERTIFICATE_RENDER_DELAY", default=0.0)  # tests only
CERTIFICATE_VERIFY_RATE_LIMIT = env.int("CERTIFICATE_VERIFY_RATE_LIMIT", default=30)  # per address per minute
PASSWORD_RESET_RATE_LIMIT_ACCOUNT = env.int("PASSWORD_RESET_RATE_LIMIT_ACCOUNT", default=3)  # per account per hour
PASSWORD_RESET_RATE_LIMIT_ADDRESS = env.int("PASSWORD_RESET_RATE_LIMIT_ADDRESS", default=10)  # per address per hour
REGISTRATION_RATE_LIMIT = env.int("REGISTRATION_RATE_LIMIT", default=20)  # attempts per address per hour
# A task whose worker died unacknowledged is redelivered after this long (Redis transport).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # A request that hands a message to an absent broker waits about a second, then the outbox keeps it.
    "socket_connect_timeout": 1.0,
    "socket_timeout": 5.0,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_TASK_PUBLISH_RETRY = False
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1.0
CELERY_REDIS_SOCKET_TIMEOUT = 5.0
# The result backend retried 20 times a second before raising; results are read by few (tests, health).
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
}

# Outbox (core/outbox.py): give up on a message after this many failed deliveries (the office may retry);
# a message handed over this long ago and not finished is dispatched again.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_STALE_SECONDS = env.int("OUTBOX_STALE_SECONDS", default=900)
# The office's dashboard warns when a message has been pending longer than this.
OUTBOX_WARN_PENDING_SECONDS = env.int("OUTBOX_WARN_PENDING_SECONDS", default=600)
CELERY_BEAT_SCHEDULE["core-outbox-dispatch"] = {"task": "core.tasks.outbox_dispatch_due", "schedule": 30.0}
# Witnesses of the audit chain (core/witness.py): signed with a key that is not in the database, written to
# a directory outside it (a separate volume in production), optionally mailed to a supervising address.
AUDIT_WITNESS_KEY = env("AUDIT_WITNESS_KEY", default="")
AUDIT_WITNESS_DIR = env("AUDIT_WITNESS_DIR", default=str(BASE_DIR / "witness"))
AUDIT_WITNESS_EMAIL = env("AUDIT_WITNESS_EMAIL", default="")
CELERY_BEAT_SCHEDULE["core-audit-witness"] = {"task": "core.tasks.audit_witness", "schedule": crontab(hour=0, minute=5)}
CELERY_BEAT_SCHEDULE["core-ratelimit-purge"] = {
    "task": "core.tasks.ratelimit_purge",
    "schedule": crontab(hour=3, minute=15),
}
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}  # its INFO lines narrate every render

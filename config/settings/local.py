"""Embedded defaults for `make run`: SQLite, console e-mail, in-process tasks without Redis."""

import os
import sys

from config.netcheck import url_reachable

from .base import *  # noqa: F403
from .base import BASE_DIR, REDIS_URL, env

DEBUG = env.bool("DEBUG", default=True)

# Two checkouts can run side by side: `PORT=8001 make run` (scripts/serve.sh passes it on).
PORT = env.int("PORT", default=8000)
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")

# E-mails land in the development mailbox at /dev/mail/ (one line with the link in the terminal).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="core.devmail.DevMailboxBackend")
DEV_MAIL_DIR = env("DEV_MAIL_DIR", default=str(BASE_DIR / ".dev-mail"))

# A mistyped address shows the project's own 404 page; DEBUG_TECHNICAL_404=true shows Django's list
# of URL patterns instead.
DEBUG_TECHNICAL_404 = env.bool("DEBUG_TECHNICAL_404", default=False)  # core.middleware.OwnNotFoundPageMiddleware

# With no Redis reachable the demo still works: tasks run in-process.
if not env.bool("CELERY_TASK_ALWAYS_EAGER", default=False) and not url_reachable(REDIS_URL, 6379):
    CELERY_TASK_ALWAYS_EAGER = True
    # Once: not again in the autoreloader's child process, nor when scripts/serve.sh said it already.
    if "runserver" in sys.argv and os.environ.get("RUN_MAIN") != "true" and not os.environ.get("MQA_SERVE"):
        print("Redis is not reachable: Celery tasks run in-process.", file=sys.stderr)

# A development key so that `make run` writes witnesses; production sets its own (never in the database).
AUDIT_WITNESS_KEY = env("AUDIT_WITNESS_KEY", default="development-only-audit-witness-key")

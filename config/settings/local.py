"""Embedded defaults for `make run`: SQLite, console e-mail, in-process tasks without Redis."""

import sys

from config.netcheck import url_reachable

from .base import *  # noqa: F403
from .base import REDIS_URL, env

DEBUG = env.bool("DEBUG", default=True)

# With no Redis reachable the demo still works: tasks run in-process.
if not env.bool("CELERY_TASK_ALWAYS_EAGER", default=False) and not url_reachable(REDIS_URL, 6379):
    CELERY_TASK_ALWAYS_EAGER = True
    if "runserver" in sys.argv:
        print("Redis is not reachable: Celery tasks run in-process.", file=sys.stderr)

# A development key so that `make run` writes witnesses; production sets its own (never in the database).
AUDIT_WITNESS_KEY = env("AUDIT_WITNESS_KEY", default="development-only-audit-witness-key")

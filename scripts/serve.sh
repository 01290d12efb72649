#!/usr/bin/env bash
# Serve the app at http://127.0.0.1:8000. With Redis reachable, run a Celery worker and beat beside it.
set -eu
cd "$(dirname "$0")/.."
if .venv/bin/python -c "from config.netcheck import url_reachable; import os, sys; sys.exit(0 if url_reachable(os.environ.get('REDIS_URL', 'redis://127.0.0.1:6379/0'), 6379) else 1)"; then
  echo "Redis is reachable: starting the web server, a Celery worker and Celery beat (honcho)."
  exec .venv/bin/honcho -f Procfile.dev start
fi
echo "Redis is not reachable: tasks (e-mails, certificates) run in-process inside the web server."
exec .venv/bin/python manage.py runserver 127.0.0.1:8000

#!/usr/bin/env bash
# Serve the app at http://127.0.0.1:$PORT (default 8000). With Redis reachable, run a Celery worker and
# beat beside it. PORT and BEAT_SCHEDULE let two checkouts run side by side.
set -eu
cd "$(dirname "$0")/.."
export PORT=${PORT:-8000}
export BEAT_SCHEDULE=${BEAT_SCHEDULE:-$PWD/.celerybeat-schedule}
# honcho gives each process its own PORT; links in e-mails sent by the worker must name the web's.
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}
export MQA_SERVE=1  # settings: this script already says whether tasks run in-process
echo "Open http://127.0.0.1:$PORT/ (e-mails sent in development: http://127.0.0.1:$PORT/dev/mail/)"
if .venv/bin/python -c "from config.netcheck import url_reachable; import os, sys; sys.exit(0 if url_reachable(os.environ.get('REDIS_URL', 'redis://127.0.0.1:6379/0'), 6379) else 1)"; then
  echo "Redis is reachable: starting the web server, a Celery worker and Celery beat (honcho)."
  exec .venv/bin/honcho -f Procfile.dev start --port "$PORT"
fi
echo "Redis is not reachable: tasks (e-mails, certificates) run in-process inside the web server."
exec .venv/bin/python manage.py runserver "127.0.0.1:$PORT"

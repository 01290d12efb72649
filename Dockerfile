# Production image: one image for web (gunicorn), Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production

# WeasyPrint's libraries (Pango, HarfBuzz) and a CJK font so certificates render Chinese text;
# postgresql-client for scripts/backup.sh and scripts/restore.sh.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-noto-cjk gettext curl postgresql-client \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 app
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=app:app . .
# collectstatic needs a key but no secrets; the real one comes from the environment at run time.
RUN SECRET_KEY=build-only-key-not-used-at-runtime-0123456789abcdefghijkl \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput \
 && mkdir -p /app/media && chown app:app /app/media
USER app
EXPOSE 8000
# gunicorn is the container's process (exec form), so `docker stop` reaches it: it stops accepting,
# lets requests in flight finish for up to the graceful timeout, then exits.
CMD ["gunicorn", "config.wsgi:application", "--config", "config/gunicorn_conf.py", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--graceful-timeout", "30"]

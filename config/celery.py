"""The Celery app. Tasks are thin: they take keyword ids and call a service."""

import os
from logging.config import dictConfig

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("mqa", task_cls="core.scoped_task:ScopedTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _use_django_logging(**kwargs):
    """Workers and beat log through Django's LOGGING (one line per event, JSON in production) instead of
    adding Celery's own handler beside it, which printed every line twice."""
    from django.conf import settings  # noqa: PLC0415 -- read after Celery has configured Django

    dictConfig(settings.LOGGING)

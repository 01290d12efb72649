"""The Celery app. Tasks are thin: they take keyword ids and call a service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("mqa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _register_sqlite_median(sender, connection, **kwargs):  # noqa: ARG001 -- signals pass sender= by name
    if connection.vendor == "sqlite":
        from .scoring import SQLiteMedian  # noqa: PLC0415 -- it loads models: not before the app registry

        connection.connection.create_aggregate("MEDIAN", 1, SQLiteMedian)


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Expert review")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The permissions, and the check that a stage window keeps the cycle's rounds: models load first.
        from . import rules, stage_windows  # noqa: F401, PLC0415

        connection_created.connect(_register_sqlite_median, dispatch_uid="reviews_sqlite_median")

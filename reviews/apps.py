from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _register_sqlite_median(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from .scoring import SQLiteMedian

        connection.connection.create_aggregate("MEDIAN", 1, SQLiteMedian)


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Expert review")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import rules  # noqa: F401  (registers the permissions)

        connection_created.connect(_register_sqlite_median, dispatch_uid="reviews_sqlite_median")

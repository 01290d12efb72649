from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The roof: the home page, the dashboard, the navigation and the office's outbox page. It may
    import every app; no app imports it (see .importlinter)."""

    name = "portal"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnsiteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "onsite"
    verbose_name = _("On-site review workbench")

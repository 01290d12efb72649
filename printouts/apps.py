from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintoutsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "printouts"
    verbose_name = _("Printable application and receipt")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VettingConfig(AppConfig):
    """推荐 and 征求意见: bodies outside the award office vouch for an application or report records."""

    name = "vetting"
    verbose_name = _("Recommendation and department opinions")
    default_auto_field = "django.db.models.BigAutoField"

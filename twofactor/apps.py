from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class TwofactorConfig(AppConfig):
    name = "twofactor"
    verbose_name = _("Two-factor log-in")

    def ready(self):
        from .middleware import state_store  # noqa: PLC0415 -- it loads models: not before the app registry

        def remember_state(sender, request, user, **kwargs):  # noqa: ARG001 -- signals pass sender= by name
            if request is not None and hasattr(request, "session"):
                state_store(request, user)

        user_logged_in.connect(remember_state, dispatch_uid="twofactor.remember_state", weak=False)

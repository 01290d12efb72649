from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import urls as core_urls
from core.forms import EmailAuthenticationForm, ThrottledPasswordResetForm
from core.site import site_name_lazy
from portal import urls as portal_urls

admin.site.site_header = format_lazy(_("{site} administration"), site=site_name_lazy())
admin.site.site_title = site_name_lazy()
_admin_has_permission = admin.site.has_permission


def _admin_requires_second_factor(request) -> bool:
    """The admin opens only after the second factor where MFA_REQUIRED (TwoFactorMiddleware sends there)."""
    if settings.MFA_REQUIRED and not request.user.is_verified():
        return False
    return _admin_has_permission(request)


admin.site.has_permission = _admin_requires_second_factor

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm), name="login"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=ThrottledPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/two-factor/", include("twofactor.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("enterprises.urls")),
    path("reviews/", include("reviews.urls")),
    # The roof (home page, dashboard, outbox) and core's own pages share the `core` namespace.
    path("", include((portal_urls.urlpatterns + core_urls.urlpatterns, "core"))),
    path("", include("committee.urls")),
    path("", include("awards.urls")),
    path("", include("certificates.urls")),
    path("", include("onsite.urls")),
    path("", include("printouts.urls")),
    path("", include("feedback.urls")),
    path("vetting/", include("vetting.urls")),
    # Last: a programme's public pages under its slug, which may not be any path above.
    path("<slug:programme>/", include("portal.programme_urls")),
]

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"

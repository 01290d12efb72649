from django.urls import path

from core import converters  # noqa: F401 -- registers the <token:…> converter

from . import views

app_name = "certificates"
urlpatterns = [
    path("certificates/", views.office_index, name="index"),
    path("certificates/cycle/<int:cycle_id>/", views.cycle_certificates, name="cycle"),
    path("certificates/cycle/<int:cycle_id>/progress/", views.cycle_progress_fragment, name="progress"),
    path("certificates/cycle/<int:cycle_id>/issue/", views.cycle_issue, name="issue"),
    path("certificates/cycle/<int:cycle_id>/regenerate/", views.cycle_regenerate, name="regenerate"),
    path("certificates/<int:pk>/retry/", views.certificate_retry_view, name="retry"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke_view, name="revoke"),
    path("certificates/<int:pk>/download/", views.certificate_download, name="download"),
    path("verify/<token:code>/", views.verify, name="verify"),
]

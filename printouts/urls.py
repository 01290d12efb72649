from django.urls import path

from . import views

app_name = "printouts"
urlpatterns = [
    path("printouts/applications/<int:application_id>/", views.printouts, name="index"),
    path("printouts/applications/<int:application_id>/<slug:document>/", views.printout_request, name="request"),
    path("printouts/<int:printout_id>/download/", views.printout_download, name="download"),
]

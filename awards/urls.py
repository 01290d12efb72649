from django.urls import path

from . import views

app_name = "awards"
urlpatterns = [
    path("applications/", views.my_application, name="mine"),
    path("applications/start/", views.application_start, name="start"),
    path("applications/<int:pk>/", views.application_overview, name="application"),
    path("applications/<int:pk>/attachments/", views.application_attachments, name="attachments"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_id>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path("applications/<int:pk>/receipt/", views.application_receipt, name="receipt"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/versions/<int:number>/", views.snapshot_detail, name="snapshot"),
    path("applications/<int:pk>/<slug:section>/", views.application_section, name="section"),
    path("office/eligibility/", views.eligibility_queue, name="queue"),
    path("office/eligibility/<int:pk>/", views.eligibility_review, name="review"),
    path("office/cycles/<int:pk>/stages/", views.cycle_stages, name="stages"),
]

from django.urls import path

from . import views

app_name = "vetting"
urlpatterns = [
    path("recommendations/", views.recommendation_queue, name="queue"),
    path("recommendations/<int:pk>/", views.recommendation_decide, name="recommend"),
    path("recommendations/scans/<int:pk>/", views.recommendation_scan, name="scan"),
    path("office/cycles/<int:cycle_id>/recommendations/", views.office_recommendations, name="office"),
    path("opinions/", views.opinion_queue, name="opinions"),
    path("opinions/<int:pk>/", views.opinion_answer, name="opinion"),
    path("opinions/<int:pk>/evidence/", views.opinion_evidence, name="opinion_evidence"),
    path("office/cycles/<int:cycle_id>/opinions/", views.office_opinions, name="office_opinions"),
    path("office/cycles/<int:cycle_id>/presentations/", views.office_presentations, name="office_presentations"),
    path("office/presentations/<int:session_id>/", views.office_presentation, name="office_presentation"),
    path("presentations/", views.presentation_queue, name="presentations"),
    path("presentations/<int:slot_id>/", views.presentation_record, name="presentation"),
    path("presentations/invitations/<int:slot_id>/", views.presentation_invitation, name="invitation"),
    path("presentations/public/", views.public_presentations, name="public_presentations"),
]

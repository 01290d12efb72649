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
]

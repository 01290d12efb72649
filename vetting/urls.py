from django.urls import path

from . import views

app_name = "vetting"
urlpatterns = [
    path("recommendations/", views.recommendation_queue, name="queue"),
    path("recommendations/<int:pk>/", views.recommendation_decide, name="recommend"),
    path("recommendations/scans/<int:pk>/", views.recommendation_scan, name="scan"),
    path("office/cycles/<int:cycle_id>/recommendations/", views.office_recommendations, name="office"),
]

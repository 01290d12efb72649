from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("feedback/cycle/<int:cycle_id>/", views.cycle_reports, name="cycle"),
    path("feedback/cycle/<int:cycle_id>/archive.zip", views.cycle_archive, name="archive"),
    path("feedback/panel-leader/", views.leader_reports, name="leader"),
    path("feedback/application/<int:application_id>/start/", views.report_start, name="start"),
    path("feedback/application/<int:application_id>/opportunities/", views.opportunities, name="opportunities"),
    path("feedback/reports/<int:pk>/", views.report_detail, name="report"),
    path("feedback/reports/<int:pk>/edit/", views.report_edit, name="edit"),
    path("feedback/reports/<int:pk>/approve/", views.report_approve, name="approve"),
    path("feedback/reports/<int:pk>/return/", views.report_return, name="return"),
    path("feedback/reports/<int:pk>/release-date/", views.report_release_date, name="release_date"),
    path("feedback/reports/<int:pk>/correct/", views.report_correct, name="correct"),
    path("feedback/reports/<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("feedback/reports/<int:pk>/<slug:action>/", views.report_action, name="action"),
]

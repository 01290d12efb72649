from django.urls import path

from . import views

app_name = "onsite"
urlpatterns = [
    path("onsite/", views.my_visits, name="my_visits"),
    path("onsite/applications/<int:app_pk>/open/", views.visit_open, name="open"),
    path("onsite/flags/<int:assignment_id>/", views.flags, name="flags"),
    path("onsite/visits/<int:visit_id>/", views.visit_detail, name="visit"),
    path("onsite/visits/<int:visit_id>/dates/", views.visit_dates, name="dates"),
    path("onsite/visits/<int:visit_id>/plan/", views.plan_add, name="plan_add"),
    path("onsite/visits/<int:visit_id>/plan/<int:entry_id>/remove/", views.plan_remove, name="plan_remove"),
    path("onsite/visits/<int:visit_id>/issues/", views.issue_add, name="issue_add"),
    path("onsite/visits/<int:visit_id>/log/", views.log_add, name="log"),
    path("onsite/visits/<int:visit_id>/items/<int:item_pk>/consensus/", views.consensus, name="consensus"),
    path("onsite/visits/<int:visit_id>/close/", views.visit_close, name="close"),
    path("onsite/visits/<int:visit_id>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("onsite/visits/<int:visit_id>/summary/", views.summary, name="summary"),
]

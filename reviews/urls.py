from django.urls import path

from . import health_views, views

app_name = "reviews"
urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("profile/", views.profile, name="profile"),
    path("assignment/<int:pk>/declare/", views.declare, name="declare"),
    path("assignment/<int:pk>/", views.sheet, name="sheet"),
    path("assignment/<int:pk>/autosave/", views.autosave, name="autosave"),
    path("panel/<int:pk>/", views.panel, name="panel"),
    path("panel/<int:pk>/consensus/<int:item_pk>/", views.consensus, name="consensus"),
    path("office/", views.cycles, name="cycles"),
    path("office/cycle/<int:pk>/", views.cycle_dashboard, name="cycle"),
    path("office/cycle/<int:pk>/round/<slug:kind>/", views.round_edit, name="round_edit"),
    path("office/round/<int:pk>/panels/", views.panels, name="panels"),
    path("office/round/<int:pk>/panels/<int:app_pk>/", views.panel_edit, name="panel_edit"),
    path("office/sheet/<int:pk>/reopen/", views.sheet_reopen, name="sheet_reopen"),
    path("office/cycle/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("office/cycle/<int:pk>/ranking/<slug:kind>/decide/", views.ranking_decide, name="ranking_decide"),
    path("office/cycle/<int:pk>/export.<slug:fmt>", views.export, name="export"),
    path("office/cycle/<int:pk>/experts/", views.experts, name="experts"),
    path("office/cycle/<int:pk>/health/", health_views.cycle_health, name="health"),
    path("office/cycle/<int:pk>/experts/<int:user_pk>/", health_views.expert_record, name="expert_record"),
    path("round/<int:pk>/rate/<int:user_pk>/", health_views.rate, name="rate"),
    path("record/", health_views.my_record, name="my_record"),
]

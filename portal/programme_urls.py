"""A programme's public pages under /<slug>/ (config/urls.py includes them last, so the site's own
paths win; awards.programmes refuses a slug that is one of them). The root serves the same pages for
settings.DEFAULT_PROGRAMME under their old names."""

from django.urls import path

from committee import views as committee_views

from . import views

app_name = "programme"

urlpatterns = [
    path("", views.home, name="home"),
    path("notice/", committee_views.notice_public, name="notice"),
    path("notice/<int:year>/", committee_views.notice_year, name="notice_year"),
    path("winners/", committee_views.winners, name="winners"),
    path("winners/<int:year>/", committee_views.winners, name="winners_year"),
]

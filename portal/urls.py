"""The roof's pages. config/urls.py serves them in the `core` namespace together with core's own
URLs, so every link (`core:home`, `core:dashboard`, `core:outbox`) keeps its name."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/", views.programmes, name="programmes"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("office/outbox/", views.office_outbox, name="outbox"),
    path("office/outbox/<int:pk>/retry/", views.office_outbox_retry, name="outbox_retry"),
]

from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("office/outbox/", views.office_outbox, name="outbox"),
    path("office/outbox/<int:pk>/retry/", views.office_outbox_retry, name="outbox_retry"),
    path("language/", views.language_switch, name="language"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico where a page names no icon (the admin's pages, PDFs).
    path("favicon.ico", views.favicon, name="favicon"),
    # DEBUG only (404 otherwise): the e-mails sent by `make run`.
    path("dev/mail/", views.dev_mailbox, name="dev_mail"),
    path("dev/mail/<str:mail_id>/", views.dev_mail, name="dev_mail_detail"),
]

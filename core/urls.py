from django.urls import path

from . import views

# The namespace `core` is given in config/urls.py, which serves portal/urls.py (home, dashboard,
# outbox) in it too.
urlpatterns = [
    path("language/", views.language_switch, name="language"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico where a page names no icon (the admin's pages, PDFs).
    path("favicon.ico", views.favicon, name="favicon"),
    # DEBUG only (404 otherwise): the e-mails sent by `make run`.
    path("dev/mail/", views.dev_mailbox, name="dev_mail"),
    path("dev/mail/<str:mail_id>/", views.dev_mail, name="dev_mail_detail"),
]

from django.urls import path

from core import converters  # noqa: F401 -- registers the <token:…> converter

from . import views

app_name = "enterprises"
urlpatterns = [
    path("accounts/register/", views.register, name="register"),
    path("accounts/register/done/", views.register_done, name="register_done"),
    path("accounts/verify/resend/", views.verify_resend, name="verify_resend"),
    path("accounts/verify/<token:token>/", views.verify_email, name="verify_email"),
    path("enterprise/", views.my_enterprise, name="mine"),
    path("enterprise/new/", views.enterprise_create, name="create"),
    path("enterprise/<int:pk>/", views.enterprise_detail, name="detail"),
    path("enterprise/<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("enterprise/<int:pk>/members/", views.members, name="members"),
    path("enterprise/<int:pk>/name-change/", views.name_change_new, name="name_change"),
    path("enterprise/<int:pk>/invitations/", views.invitation_create, name="invite"),
    path("enterprise/<int:pk>/invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="revoke"),
    path("enterprise/<int:pk>/members/<int:membership_id>/remove/", views.member_remove, name="remove_member"),
    path("invitation/<token:token>/", views.invitation, name="invitation"),
    path("office/enterprises/", views.office_list, name="office_list"),
    path("office/enterprises/<int:pk>/", views.office_detail, name="office_detail"),
    path("office/name-changes/", views.office_name_changes, name="office_name_changes"),
    path("office/name-changes/<int:pk>/", views.office_name_change, name="office_name_change"),
]

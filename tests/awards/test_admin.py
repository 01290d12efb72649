from awards.enums import ApplicationStatus
from awards.models import Application


def test_application_admin_lists_and_status_is_read_only(client_for, admin_user, application_a):
    client = client_for(admin_user)
    assert client.get("/admin/awards/application/").status_code == 200
    response = client.get(f"/admin/awards/application/{application_a.pk}/change/")
    assert response.status_code == 200
    assert 'name="status"' not in response.content.decode()


def test_admin_action_changes_status_through_the_service(client_for, admin_user, application_a):
    Application.objects.filter(pk=application_a.pk).update(status=ApplicationStatus.SUBMITTED)
    client = client_for(admin_user)
    url = "/admin/awards/application/"
    confirm = client.post(url, {"action": "change_status", "_selected_action": [application_a.pk]})
    assert confirm.status_code == 200 and b"to_status" in confirm.content
    client.post(
        url,
        {
            "action": "change_status",
            "_selected_action": [application_a.pk],
            "apply": "1",
            "to_status": "returned",
            "comment": "请补充附件",
        },
    )
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.RETURNED
    assert application_a.transitions.get().comment == "请补充附件"


def test_admin_action_refuses_an_illegal_transition(client_for, admin_user, application_a):
    client = client_for(admin_user)
    response = client.post(
        "/admin/awards/application/",
        {"action": "change_status", "_selected_action": [application_a.pk], "apply": "1", "to_status": "awarded"},
        follow=True,
    )
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.DRAFT
    assert "cannot become" in response.content.decode() or "不能" in response.content.decode()


def test_every_model_is_registered_in_admin(client_for, admin_user):
    from django.apps import apps
    from django.contrib import admin

    ours = [
        m for m in apps.get_models() if m._meta.app_label in {"core", "enterprises", "awards", "reviews", "committee"}
    ]
    unregistered = [m._meta.label for m in ours if m not in admin.site._registry]
    assert unregistered == []
    client = client_for(admin_user)
    for model in ours:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url

"""Public pages answer 304 Not Modified until something they show may have changed."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.audit import audit_record
from core.enums import AuditEventType

PUBLIC = ["core:home", "committee:notice", "committee:winners"]


@pytest.mark.parametrize("name", PUBLIC)
def test_a_public_page_is_not_sent_again_while_nothing_changed(client, cycle, name):
    audit_record(event=AuditEventType.MEETING_REMARK, obj=cycle)
    client.get(reverse(name))  # the first visit sets the CSRF cookie, which the ETag covers
    first = client.get(reverse(name))
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    again = client.get(reverse(name), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize("name", PUBLIC)
def test_a_recorded_change_or_an_admin_edit_sends_the_page_again(client, cycle, admin_user, name):
    client.get(reverse(name))
    etag = client.get(reverse(name))["ETag"]
    assert client.get(reverse(name), HTTP_IF_NONE_MATCH=etag).status_code == 304
    audit_record(event=AuditEventType.MEETING_AGENDA, obj=cycle)
    changed = client.get(reverse(name), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(cycle),
        object_id=str(cycle.pk),
        object_repr=str(cycle),
        action_flag=CHANGE,
    )
    assert client.get(reverse(name), HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 200


def test_the_etag_differs_by_language_and_visitor(client, client_for, cycle, secretary):
    audit_record(event=AuditEventType.MEETING_REMARK, obj=cycle)
    url = reverse("core:home")
    zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")["ETag"]
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en")["ETag"]
    assert zh != en
    signed_in = client_for(secretary)
    assert signed_in.get(url, HTTP_IF_NONE_MATCH=zh, HTTP_ACCEPT_LANGUAGE="zh-hans").status_code == 200


def test_waiting_messages_are_always_shown(client_for, secretary, cycle):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    c = client_for(secretary)
    c.get(reverse("core:home"))
    etag = c.get(reverse("core:home"))["ETag"]
    assert c.get(reverse("core:home"), HTTP_IF_NONE_MATCH=etag).status_code == 304
    c.cookies["messages"] = CookieStorage(RequestFactory().get("/"))._encode([Message(constants.SUCCESS, "Saved.")])
    response = c.get(reverse("core:home"), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Saved." in response.content.decode()


def test_the_winners_list_is_rendered_once_per_state_and_again_after_a_change(client, cycle, django_assert_num_queries):
    from tests.factories.certificates import awarded_application

    audit_record(event=AuditEventType.MEETING_REMARK, obj=cycle)
    url = reverse("committee:winners")
    empty = "No winners have been published yet."
    assert empty in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with django_assert_num_queries(1):  # the last change only (one statement): the list comes from the cache
        assert empty in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    application = awarded_application(cycle=cycle)  # the workflow records the change
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert empty not in page and application.enterprise.name_en in page


def test_a_time_read_by_a_raw_statement_is_aware_on_either_database():
    import datetime as dt

    from core.http_cache import _as_datetime

    aware = dt.datetime(2026, 12, 6, 22, 0, 1, 5, tzinfo=dt.UTC)
    assert _as_datetime(aware) == aware
    assert _as_datetime("2026-12-06 22:00:01.000005") == aware  # SQLite's text, UTC

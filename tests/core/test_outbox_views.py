import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.enums import AuditEventType, OutboxKind, OutboxStatus
from core.models import AuditEvent, OutboxMessage
from tests.factories.awards import CycleFactory

pytestmark = pytest.mark.django_db


def _message(*, cycle=None, status=OutboxStatus.FAILED, recipient="alice@alpha.example.cn", **fields):
    return OutboxMessage.objects.create(
        kind=OutboxKind.MAIL,
        task_name="core.tasks.send_templated_mail",
        kwargs={"template": "welcome", "context": {}, "user_id": None, "email": recipient, "language": "en"},
        template="welcome",
        recipient=recipient,
        language="en",
        cycle=cycle,
        status=status,
        attempts=8 if status == OutboxStatus.FAILED else 0,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed" if status == OutboxStatus.FAILED else "",
        **fields,
    )


def test_it_lists_the_secretarys_cycle_and_messages_of_no_cycle(client_for, secretary, cycle):
    mine = _message(cycle=cycle)
    general = _message(recipient="newcomer@example.cn")
    other = _message(cycle=CycleFactory(year=2031), recipient="elsewhere@example.cn")
    response = client_for(secretary).get("/office/outbox/")
    assert response.status_code == 200
    rows = list(response.context["outbox"])
    assert mine in rows and general in rows and other not in rows
    body = response.content.decode()
    assert "SMTPServerDisconnected" in body and "elsewhere@example.cn" not in body


def test_it_filters_by_status(client_for, secretary, cycle):
    failed = _message(cycle=cycle)
    sent = _message(cycle=cycle, status=OutboxStatus.SENT, sent_at=timezone.now())
    rows = list(client_for(secretary).get("/office/outbox/?status=sent").context["outbox"])
    assert rows == [sent] and failed not in rows


@pytest.mark.parametrize("role", ["expert", "applicant_a", "committee_member"])
def test_it_is_refused_to_everyone_but_the_office(request, client_for, role):
    user = request.getfixturevalue(role)
    assert client_for(user).get("/office/outbox/").status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(anonymous):
    response = anonymous.get("/office/outbox/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_secretary_retries_a_failed_message(client_for, secretary, cycle, django_capture_on_commit_callbacks):
    message = _message(cycle=cycle)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(
            f"/office/outbox/{message.pk}/retry/", {"next": "/office/outbox/?status=failed"}
        )
    assert response.status_code == 302 and response["Location"] == "/office/outbox/?status=failed"
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert [m.to for m in mail.outbox] == [["alice@alpha.example.cn"]]
    event = AuditEvent.objects.get(event=AuditEventType.OUTBOX_RETRY)
    assert event.actor == secretary


def test_retry_never_redirects_to_another_site(client_for, secretary, cycle):
    message = _message(cycle=cycle)
    response = client_for(secretary).post(f"/office/outbox/{message.pk}/retry/", {"next": "https://evil.example/"})
    assert response["Location"] == "/office/outbox/"


def test_a_message_already_sent_is_not_retried(client_for, secretary, cycle):
    message = _message(cycle=cycle, status=OutboxStatus.SENT, sent_at=timezone.now())
    response = client_for(secretary).post(f"/office/outbox/{message.pk}/retry/", follow=True)
    assert "只有发送失败的消息可以重发。" in response.content.decode()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_retry_is_refused_for_another_cycles_secretary_and_for_experts(client_for, secretary, expert):
    message = _message(cycle=CycleFactory(year=2031))
    assert client_for(secretary).post(f"/office/outbox/{message.pk}/retry/").status_code == 404
    assert client_for(expert).post(f"/office/outbox/{message.pk}/retry/").status_code == 404
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED


def test_the_dashboard_warns_about_messages_pending_for_more_than_ten_minutes(client_for, secretary, cycle):
    _message(cycle=cycle, status=OutboxStatus.PENDING)
    body = client_for(secretary).get("/dashboard/").content.decode()
    assert "/office/outbox/?status=pending" not in body
    OutboxMessage.objects.update(created_at=timezone.now() - dt.timedelta(minutes=11))
    response = client_for(secretary).get("/dashboard/")
    assert response.context["outbox_overdue"] == 1
    assert "/office/outbox/?status=pending" in response.content.decode()


def test_the_admin_lists_messages_read_only(client_for, admin_user, cycle):
    message = _message(cycle=cycle)
    client = client_for(admin_user)
    assert client.get("/admin/core/outboxmessage/").status_code == 200
    assert client.get(f"/admin/core/outboxmessage/{message.pk}/change/").status_code == 200
    assert client.post(f"/admin/core/outboxmessage/{message.pk}/delete/", {"post": "yes"}).status_code == 403
    assert OutboxMessage.objects.filter(pk=message.pk).exists()


def test_the_outbox_message_loader(secretary, admin_user, expert, cycle):
    from django.http import Http404

    from portal.selectors import outbox_message_for_office

    mine, no_cycle, other = _message(cycle=cycle), _message(), _message(cycle=CycleFactory(year=2031))
    for message in (mine, no_cycle):
        assert outbox_message_for_office(user=secretary, pk=message.pk) == message
    assert outbox_message_for_office(user=admin_user, pk=other.pk) == other
    for user, message in ((secretary, other), (expert, no_cycle), (expert, mine), (secretary, 987654321)):
        with pytest.raises(Http404):
            outbox_message_for_office(user=user, pk=getattr(message, "pk", message))

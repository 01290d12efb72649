import pytest
from django.core import mail
from django.db import transaction

from core.mail import mail_queue
from core.tasks import send_templated_mail, worker_health
from tests.worker import celery_worker_process  # noqa: F401


@pytest.mark.worker
def test_a_real_worker_runs_a_task_and_sees_the_test_database(celery_worker_process, admin_user):  # noqa: F811
    result = worker_health.delay()
    try:
        value = result.get(timeout=90)
    except Exception:
        print(celery_worker_process.output())
        raise
    assert value == {"database": "postgresql", "users": 1}


@pytest.mark.worker
def test_a_real_worker_sends_mail_in_the_recipients_language(celery_worker_process, admin_user):  # noqa: F811
    admin_user.preferred_language = "en"
    admin_user.save()
    result = send_templated_mail.delay(template="welcome", context={}, user_id=admin_user.pk)
    assert result.get(timeout=90) == admin_user.email


def test_mail_is_queued_on_commit_and_rendered_in_the_recipients_language(
    django_capture_on_commit_callbacks, admin_user
):
    admin_user.preferred_language = "en"
    admin_user.save()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        mail_queue(template="welcome", to_user=admin_user)
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [admin_user.email]
    assert "Welcome" in mail.outbox[0].subject


def test_mail_in_chinese_for_a_chinese_speaking_user(django_capture_on_commit_callbacks, applicant_a):
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(template="welcome", to_user=applicant_a)
    assert "欢迎" in mail.outbox[0].subject


def test_mail_is_not_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks, admin_user):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        mail_queue(template="welcome", to_user=admin_user)
        raise RuntimeError
    assert mail.outbox == []

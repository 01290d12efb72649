"""The daily reminder: scheduled by Celery beat, run by a real worker, mails in each expert's language."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from config.celery import app
from reviews.tasks import send_review_reminders
from tests.worker import celery_worker_process  # noqa: F401


def test_beat_schedules_the_daily_reminder():
    entry = settings.CELERY_BEAT_SCHEDULE["reviews-daily-reminders"]
    assert entry["task"] == "reviews.tasks.send_review_reminders"
    assert entry["task"] in app.tasks


def test_reminder_mail_is_rendered_in_the_experts_language(
    review, expert, material_round, cycle, django_capture_on_commit_callbacks
):
    expert.preferred_language = "en"
    expert.save()
    material_round.closes_at = timezone.now() + dt.timedelta(days=1)
    material_round.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_reminders() == 5
    mine = next(m for m in mail.outbox if m.to == [expert.email])
    assert mine.subject == f"Reminder: expert review sheets due ({cycle.programme.name_en})"
    assert "郴州甲企业有限公司" in mine.body and f"/reviews/assignment/{review[1].pk}/" in mine.body
    other = next(m for m in mail.outbox if m.to != [expert.email])
    assert other.subject == f"提醒：专家评分表即将到期（{cycle.programme.name_zh}）"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_reminders(request, celery_worker_process):  # noqa: F811
    request.getfixturevalue("review")
    material_round = request.getfixturevalue("material_round")
    material_round.closes_at = timezone.now() - dt.timedelta(hours=2)
    material_round.save()
    result = send_review_reminders.delay()
    try:
        assert result.get(timeout=90) == 5
    except Exception:
        print(celery_worker_process.output())
        raise

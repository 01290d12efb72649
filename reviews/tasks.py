from celery import shared_task

from .services import reminders_send


@shared_task
def send_review_reminders() -> int:
    """Daily (Celery beat): remind experts of sheets due within three days or overdue."""
    return reminders_send()

from celery import shared_task

from .services import opinion_reminders_send_all, presentation_reminders_send_all


@shared_task
def send_opinion_reminders() -> int:
    """Daily (Celery beat): remind, once, the departments whose answer is due within two days."""
    return opinion_reminders_send_all()


@shared_task
def send_presentation_reminders() -> int:
    """Daily (Celery beat): remind, once, the enterprises that have not answered an invitation to
    present two working days before their slot."""
    return presentation_reminders_send_all()

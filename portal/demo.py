"""Demo data of the roof: one outbox message that failed for good (see core/demo.py)."""

from __future__ import annotations

from django.conf import settings

from awards import demo as awards_demo
from awards.models import AwardCycle
from core.demo import DemoContext
from core.enums import OutboxKind, OutboxStatus
from core.models import OutboxMessage


def seed(ctx: DemoContext) -> None:
    # Last of the steps: the current cycle's early history moves to its past stages' dates.
    awards_demo.backdate_current(ctx)
    seed_outbox(ctx)


def seed_outbox(ctx: DemoContext) -> None:
    """The outbox shows what the demo's actions queued (sent once the seed commits); add one message
    that failed for good, so the office's outbox page has something to retry."""
    address = "bounced@unreachable.example.cn"
    if OutboxMessage.objects.filter(recipient=address).exists():
        return
    cycle = AwardCycle.objects.filter(programme__slug=settings.DEFAULT_PROGRAMME).order_by("-year").first()
    OutboxMessage.objects.create(
        kind=OutboxKind.MAIL,
        task_name="core.tasks.send_templated_mail",
        kwargs={"template": "welcome", "context": {}, "user_id": None, "email": address, "language": "zh-hans"},
        template="welcome",
        recipient=address,
        language="zh-hans",
        cycle=cycle,
        status=OutboxStatus.FAILED,
        attempts=settings.OUTBOX_MAX_ATTEMPTS,
        last_error=f"SMTPRecipientsRefused: {{'{address}': (550, b'5.1.1 Mailbox does not exist')}}",
    )
    ctx.log(f"Outbox: one failed message to {address} to retry on /office/outbox/.")

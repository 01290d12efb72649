import time

from django.core.management.base import BaseCommand

from core.outbox import outbox_dispatch_due
from core.scopes import in_every_programme


class Command(BaseCommand):
    help = "Hand pending outbox messages (e-mails, tasks) to the broker; repeat with --loop."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, default=0, help="run again every N seconds (0: once)")

    @in_every_programme
    def handle(self, *args, loop: float = 0, **options):
        while True:
            report = outbox_dispatch_due()
            self.stdout.write(f"Outbox: {report}.")
            if not loop:
                return
            time.sleep(loop)

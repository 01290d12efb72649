from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_verify


class Command(BaseCommand):
    help = "Walk the audit log's hash chain and report the first broken link."

    def handle(self, *args, **options):
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at event #{report.broken_seq}: {report.reason} "
                f"({report.checked} events before it are intact)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events."))

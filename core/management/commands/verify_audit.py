from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_verify
from core.scopes import in_every_programme
from core.witness import WitnessNotConfigured, witness_verify, witness_write


class Command(BaseCommand):
    help = (
        "Walk the audit log's hash chain and check it against every signed witness outside the database; "
        "report the first broken link, a rewrite or truncation after a witnessed point, and missing or forged "
        "witnesses. --witness writes a new witness first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--witness", action="store_true", help="write a witness of the current head first")

    @in_every_programme
    def handle(self, *args, witness: bool = False, **options):
        try:
            if witness:
                path = witness_write(reason="manual")
                self.stdout.write(f"Witness written: {path}")
            witnesses = witness_verify()
        except WitnessNotConfigured:
            witnesses = None
            self.stderr.write("AUDIT_WITNESS_KEY is not set: the chain is checked without its witnesses.")
        report = audit_verify()
        problems = []
        if not report.ok:
            problems.append(
                f"Audit chain broken at event #{report.broken_seq}: {report.reason} "
                f"({report.checked} events before it are intact)."
            )
        if witnesses is not None:
            problems.extend(p.message for p in witnesses.problems)
        if problems:
            raise CommandError("\n".join(problems))
        counted = f", {witnesses.witnesses} witness(es) agree" if witnesses is not None else ""
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events{counted}."))

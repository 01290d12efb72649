from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import DEMO_PASSWORD, DemoContext, seed_people

# Each app's demo step, in dependency order; later apps extend this list.
STEPS = [
    "awards.demo",
    "enterprises.demo",
    "reviews.demo",
    "vetting.demo",
    "committee.demo",
    "certificates.demo",
    "core.demo",
]


class Command(BaseCommand):
    help = "Create (or complete) a realistic demo data set. Safe to run again: it only adds what is missing."

    def handle(self, *args, **options):
        from importlib import import_module

        ctx = DemoContext(stdout=self.stdout)
        with transaction.atomic():
            seed_people(ctx)
            for step in STEPS:
                import_module(step).seed(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Every demo account's password: " + DEMO_PASSWORD))
        width = max(len(label) for label, _ in ctx.logins)
        for label, email in ctx.logins:
            self.stdout.write(f"  {label:<{width}}  {email}")

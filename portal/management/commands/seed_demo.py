from django.core.management.base import BaseCommand
from django.db import transaction

from awards import demo as awards_demo
from certificates import demo as certificates_demo
from committee import demo as committee_demo
from core.demo import DEMO_PASSWORD, DemoContext, seed_people
from core.scopes import in_every_programme
from enterprises import demo as enterprises_demo
from feedback import demo as feedback_demo
from onsite import demo as onsite_demo
from portal import demo as portal_demo
from printouts import demo as printouts_demo
from reviews import demo as reviews_demo
from vetting import demo as vetting_demo

# Each app's demo step, in dependency order; later apps extend this list.
STEPS = [
    awards_demo,
    enterprises_demo,
    reviews_demo,
    vetting_demo,
    onsite_demo,
    committee_demo,
    certificates_demo,
    printouts_demo,
    feedback_demo,
    portal_demo,
]


class Command(BaseCommand):
    help = "Create (or complete) a realistic demo data set. Safe to run again: it only adds what is missing."

    @in_every_programme
    def handle(self, *args, **options):
        ctx = DemoContext(stdout=self.stdout)
        with transaction.atomic():
            seed_people(ctx)
            for step in STEPS:
                step.seed(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Every demo account's password: " + DEMO_PASSWORD))
        width = max(len(label) for label, _ in ctx.logins)
        for label, email in ctx.logins:
            self.stdout.write(f"  {label:<{width}}  {email}")

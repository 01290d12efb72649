from django.core.management.base import BaseCommand, CommandError

from awards.models import AwardCycle
from core.scopes import in_every_programme
from reviews.panel_scores import refresh_cycle


class Command(BaseCommand):
    help = (
        "Recompute the stored panel scores from the submitted sheets and consensus scores (every cycle, "
        "or the cycles given by id). The services keep them current; run this once after the upgrade that "
        "added them, or after loading sheets outside the services."
    )

    def add_arguments(self, parser):
        parser.add_argument("cycles", nargs="*", type=int, help="cycle ids (default: all)")

    @in_every_programme
    def handle(self, *args, cycles: list[int], **options):
        qs = AwardCycle.objects.order_by("year", "pk")
        if cycles:
            qs = qs.filter(pk__in=cycles)
            missing = set(cycles) - set(qs.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No cycle with id {', '.join(str(m) for m in sorted(missing))}.")
        for cycle in qs:
            n = refresh_cycle(cycle)
            self.stdout.write(f"{cycle}: {n} panels")

"""Existing cycles run the default stages; their windows come from the dates they had published."""

import datetime as dt

from django.db import migrations

DEFAULT = ["eligibility", "material_review", "onsite_review", "committee", "public_notice", "government_approval"]


def forwards(apps, schema_editor):
    AwardCycle = apps.get_model("awards", "AwardCycle")
    CycleStage = apps.get_model("awards", "CycleStage")
    for cycle in AwardCycle.objects.all():
        if CycleStage.objects.filter(cycle=cycle).exists():
            continue
        close = (cycle.applications_close_at + dt.timedelta(hours=8)).date()  # China Standard Time
        windows = {
            "material_review": (close + dt.timedelta(days=1), cycle.material_review_due),
            "onsite_review": (cycle.onsite_review_start, cycle.onsite_review_end),
            "committee": (cycle.committee_meeting_on, cycle.committee_meeting_on),
            "public_notice": (cycle.public_notice_start, cycle.public_notice_end),
        }
        for order, kind in enumerate(DEFAULT, start=1):
            starts_on, ends_on = windows.get(kind, (None, None))
            if kind == "material_review" and ends_on is None:
                starts_on = None
            CycleStage.objects.create(cycle=cycle, kind=kind, order=order, starts_on=starts_on, ends_on=ends_on)


class Migration(migrations.Migration):
    dependencies = [("awards", "0011_cycle_stages_and_recommenders")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

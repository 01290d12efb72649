import django.db.models.deletion
from django.db import migrations, models


def place(apps, _schema_editor):
    """Copy each stored score's application and round kind from its panel."""
    PanelScore = apps.get_model("reviews", "PanelScore")
    rows = list(PanelScore.objects.select_related("panel__round").only("pk", "panel__application_id", "panel__round__kind"))
    for row in rows:
        row.application_id = row.panel.application_id
        row.kind = row.panel.round.kind
    PanelScore.objects.bulk_update(rows, ["application", "kind"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0004_panel_score"),
    ]

    operations = [
        migrations.AddField(
            model_name="panelscore",
            name="application",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="panel_scores",
                to="awards.application",
                verbose_name="application",
            ),
        ),
        migrations.AddField(
            model_name="panelscore",
            name="kind",
            field=models.CharField(
                choices=[("material", "Material review"), ("onsite", "On-site review")],
                default="",
                max_length=10,
                verbose_name="round",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(place, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="panelscore",
            name="application",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="panel_scores",
                to="awards.application",
                verbose_name="application",
            ),
        ),
        migrations.AddConstraint(
            model_name="panelscore",
            constraint=models.UniqueConstraint(
                fields=("application", "kind"), include=("total", "results"), name="panel_score_place"
            ),
        ),
    ]

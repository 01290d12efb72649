from django.db import migrations, models


def names_from_snapshots(apps, schema_editor):
    """Applications past draft take their names of record from their latest submitted snapshot."""
    Application = apps.get_model("awards", "Application")
    ApplicationSnapshot = apps.get_model("awards", "ApplicationSnapshot")
    for app in Application.objects.exclude(status="draft").select_related("enterprise").iterator():
        snapshot = ApplicationSnapshot.objects.filter(application=app).order_by("-number").first()
        data = snapshot.data if snapshot else {}
        # "profile" is the registered enterprise as submitted; older snapshots may only hold "basic".
        source = data.get("profile") or data.get("basic") or {}
        ent = app.enterprise
        app.record_name_zh = (source.get("name_zh") if source else ent.name_zh) or ""
        app.record_name_en = (source.get("name_en") if source else ent.name_en) or ""
        app.record_credit_code = (source.get("credit_code") or ent.credit_code or "").upper()
        app.save(update_fields=["record_name_zh", "record_name_en", "record_credit_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0007_committee_rules"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="record_name_zh",
            field=models.CharField(blank=True, max_length=200, verbose_name="Chinese name of record"),
        ),
        migrations.AddField(
            model_name="application",
            name="record_name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="English name of record"),
        ),
        migrations.AddField(
            model_name="application",
            name="record_credit_code",
            field=models.CharField(blank=True, max_length=18, verbose_name="credit code of record"),
        ),
        migrations.RunPython(names_from_snapshots, migrations.RunPython.noop),
    ]

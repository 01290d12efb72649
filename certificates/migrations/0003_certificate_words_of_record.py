"""The award's and the issuer's words stored on each certificate when it is issued.

Existing certificates get them from their cycle and its programme as they are now: the nearest
record there is of what was printed (renaming a programme before this migration already rewrote them).
"""

from django.db import migrations, models

FIELDS = [
    ("award_name_zh", "award (Chinese)", 100),
    ("award_name_en", "award (English)", 150),
    ("award_title_zh", "award as titled (Chinese)", 200),
    ("award_title_en", "award as titled (English)", 200),
    ("issuer_zh", "issuer (Chinese)", 100),
    ("issuer_en", "issuer (English)", 150),
    ("seal_text", "seal text", 30),
    ("signature_zh", "signature line (Chinese)", 60),
    ("signature_en", "signature line (English)", 100),
]


def fill_from_programme(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    for certificate in Certificate.objects.select_related("cycle__programme").iterator():
        cycle = certificate.cycle
        programme = cycle.programme
        certificate.award_name_zh, certificate.award_name_en = programme.name_zh, programme.name_en
        certificate.award_title_zh, certificate.award_title_en = cycle.title_zh, cycle.title_en
        certificate.issuer_zh, certificate.issuer_en = programme.organiser_zh, programme.organiser_en
        certificate.seal_text = programme.seal_text
        certificate.signature_zh, certificate.signature_en = programme.signature_zh, programme.signature_en
        certificate.save(update_fields=[name for name, _label, _length in FIELDS])


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0016_cycle_programme_required"),
        ("certificates", "0002_certificate_reissued_at"),
    ]

    operations = [
        *[
            migrations.AddField(
                model_name="certificate",
                name=name,
                field=models.CharField(default="", max_length=length, verbose_name=label),
                preserve_default=False,
            )
            for name, label, length in FIELDS
        ],
        migrations.RunPython(fill_from_programme, migrations.RunPython.noop),
    ]

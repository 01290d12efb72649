# The programme is required once every cycle has one (0015); edition and year are unique per programme.
# A migration of its own: PostgreSQL refuses to alter a table with the backfill's pending triggers.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0015_award_programmes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='awardcycle',
            name='programme',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cycles', to='awards.awardprogramme', verbose_name='award programme'),
        ),
        migrations.AddConstraint(
            model_name='awardcycle',
            constraint=models.UniqueConstraint(fields=('programme', 'edition'), name='uniq_programme_edition'),
        ),
        migrations.AddConstraint(
            model_name='awardcycle',
            constraint=models.UniqueConstraint(fields=('programme', 'year'), name='uniq_programme_year'),
        ),
    ]

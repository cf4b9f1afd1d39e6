"""Work item kinds `reserve_report` (MSL Art. 45) and `reserve_removal` (MSL Art. 25, 19)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0002_edition_labels_day_first'),
        ('people', '0005_indexes_without_redundancy'),
        ('worklists', '0002_work_kind_deferral_ended'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='workitem',
            name='workitem_kind_known',
        ),
        migrations.AlterField(
            model_name='workitem',
            name='kind',
            field=models.CharField(choices=[('due_first_registration', 'Due for first registration'), ('transfer_in', 'Transfer in'), ('transfer_out', 'Transfer out'), ('deceased', 'Death'), ('register_correction', 'Register correction'), ('deferral_ended', 'Deferral ended'), ('reserve_report', 'Reserve registration due'), ('reserve_removal', 'Reserve removal due')], max_length=32),
        ),
        migrations.AddConstraint(
            model_name='workitem',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ('due_first_registration', 'transfer_in', 'transfer_out', 'deceased', 'register_correction', 'deferral_ended', 'reserve_report', 'reserve_removal'))), name='workitem_kind_known'),
        ),
    ]

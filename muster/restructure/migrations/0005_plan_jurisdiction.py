"""Plans belong to a jurisdiction (issue 13, finding 4). A plan saved before this keeps the
jurisdiction of the user who first saved it (its first `restructure.plan.saved` event); the
built-in plan and plans loaded from the CLI stay national (None)."""

import django.db.models.deletion
from django.db import migrations, models


def jurisdiction_from_first_save(apps, schema_editor):
    Plan = apps.get_model("restructure", "Plan")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for plan in Plan.objects.filter(source="csv", jurisdiction__isnull=True):
        first = (
            AuditEvent.objects.filter(
                action="restructure.plan.saved",
                target_type="restructure.plan",
                target_id=str(plan.pk),
            )
            .select_related("actor")
            .order_by("id")
            .first()
        )
        actor = first.actor if first is not None else None
        if actor is not None and actor.jurisdiction_id and not actor.is_superuser:
            Plan.objects.filter(pk=plan.pk).update(jurisdiction_id=actor.jurisdiction_id)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('audit', '0001_initial'),
        ('orgs', '0001_initial'),
        ('restructure', '0004_unit_mapping_every_ending_unit'),
    ]

    operations = [
        migrations.AddField(
            model_name='plan',
            name='jurisdiction',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.orgunit'),
        ),
        migrations.RunPython(jurisdiction_from_first_save, migrations.RunPython.noop),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    """The mapping holds every unit a plan ends (NULL successor: abolished), so participants
    find the ending units in the database instead of receiving them from the engine."""

    dependencies = [
        ("restructure", "0003_plan_summary"),
    ]

    operations = [
        migrations.AlterField(
            model_name="unitmapping",
            name="new_id",
            field=models.BigIntegerField(null=True),
        ),
    ]

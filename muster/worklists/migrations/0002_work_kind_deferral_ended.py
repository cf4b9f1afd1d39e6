"""Work item kind `deferral_ended`: a deferral of call-up lapsed (MSL Art. 41(3))."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("worklists", "0001_work_items"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="workitem",
            name="workitem_kind_known",
        ),
        migrations.AlterField(
            model_name="workitem",
            name="kind",
            field=models.CharField(
                choices=[
                    ("due_first_registration", "Due for first registration"),
                    ("transfer_in", "Transfer in"),
                    ("transfer_out", "Transfer out"),
                    ("deceased", "Death"),
                    ("register_correction", "Register correction"),
                    ("deferral_ended", "Deferral ended"),
                ],
                max_length=32,
            ),
        ),
        migrations.AddConstraint(
            model_name="workitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        (
                            "due_first_registration",
                            "transfer_in",
                            "transfer_out",
                            "deceased",
                            "register_correction",
                            "deferral_ended",
                        ),
                    )
                ),
                name="workitem_kind_known",
            ),
        ),
    ]

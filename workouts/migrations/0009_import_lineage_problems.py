from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workouts", "0008_plan_templates_programs")]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="lineage",
            field=models.UUIDField(
                blank=True, null=True,
                help_text="Namespace of the ids, shared by imports of one history (a newer export adds what is new).",
            ),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="problems",
            field=models.JSONField(
                default=dict,
                help_text="Lines skipped and why, durations kept out, unit evidence: said on the preview.",
            ),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="merged_count",
            field=models.PositiveIntegerField(default=0, help_text="Workouts of the file imported before."),
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="unit",
            field=models.CharField(
                blank=True, default="kg", max_length=2,
                help_text="The unit of weights the file does not give ('' until chosen for a file without units).",
            ),
        ),
    ]

"""The interview plan's day records where it moved due reviews (issue 17: a
run-up day over its limit; the dashboard says so). Nullable, so a server still
running the release before can insert plans without it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cards", "0026_log_redundant_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="interviewplan",
            name="moved_today",
            field=models.JSONField(blank=True, null=True),
        ),
    ]

"""The interview plan's day says when its new cards come before due reviews
(issue 17: a learner whose minutes run out loses reviews, not questions never
introduced; cards/scheduling/plan/day.is_behind)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cards", "0024_card_schedule_user_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="interviewplan",
            name="new_first",
            field=models.BooleanField(default=False),
        ),
    ]

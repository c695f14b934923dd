"""Drop the review log's indexes on the user alone and the schedule alone (issue 12).

Both lead other indexes: (user, reviewed_at), (user, study_day, ...) and the
partial (user) ones; the unique (schedule, from_version). Every grade inserts
one log row, so every index is one more B-tree to descend and dirty: nine on a
table of 8.5 million rows at scale L, whose 1.2 GB of indexes do not fit in
PostgreSQL's buffers, and the two dropped here (136 MB) served no read that
the others do not.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cards", "0025_plan_new_first"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="reviewlog",
            name="schedule",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="logs",
                to="cards.reviewschedule",
            ),
        ),
        migrations.AlterField(
            model_name="reviewlog",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="review_logs",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]

"""The per-learner-per-day rollup of the review log (issue 12), backfilled from
the log in one INSERT ... SELECT ... GROUP BY (both databases)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Frozen copy of cards.progress.rollup.BACKFILL_SQL at the time of writing
# (migrations do not import app code that may change).
BACKFILL = (
    "INSERT INTO cards_studyday (user_id, study_day, reviews, new, again, hard,"
    " good, easy, scheduled, passed, ms)"
    " SELECT user_id, study_day, COUNT(*),"
    " SUM(CASE WHEN kind = 'new' THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN grade < 3 THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN grade = 3 THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN grade = 4 THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN grade = 5 THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN kind = 'review' THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN kind = 'review' AND grade >= 3 THEN 1 ELSE 0 END),"
    " COALESCE(SUM(duration_ms), 0)"
    " FROM cards_reviewlog GROUP BY user_id, study_day"
)


class Migration(migrations.Migration):
    dependencies = [
        ("cards", "0020_bankcore_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StudyDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("study_day", models.DateField()),
                ("reviews", models.PositiveIntegerField(default=0)),
                ("new", models.PositiveIntegerField(default=0)),
                ("again", models.PositiveIntegerField(default=0)),
                ("hard", models.PositiveIntegerField(default=0)),
                ("good", models.PositiveIntegerField(default=0)),
                ("easy", models.PositiveIntegerField(default=0)),
                ("scheduled", models.PositiveIntegerField(default=0)),
                ("passed", models.PositiveIntegerField(default=0)),
                ("ms", models.PositiveBigIntegerField(default=0)),
                (
                    "user",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "study_day"), name="one_study_day_per_user"
                    )
                ],
            },
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
    ]

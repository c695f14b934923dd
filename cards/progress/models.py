"""The progress domain's table (one app label: cards): the per-day rollup of the log.

Imported at the end of cards/models.py so that the app registry finds it.
cards/progress/rollup.py is the only writer besides bulk fills (the migration's
backfill and the benchmark's data generator), which use its SQL too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

__all__ = ["StudyDay"]


class StudyDay(models.Model):
    """One learner's answers on one of their study days, counted as
    cards/progress/queries.py daily_activity used to GROUP BY the log.

    Kept in the same transaction as every write of the log, so the progress
    page's cost depends on the days shown, not on the answers. An undo that
    takes back the day's last answer leaves an all-zero row (reviews = 0):
    readers skip those rows, and keeping them spares undo a statement.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique (user, study_day) index leads with user
    )
    study_day = models.DateField()
    reviews = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    again = models.PositiveIntegerField(default=0)
    hard = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    easy = models.PositiveIntegerField(default=0)
    scheduled = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    ms = models.PositiveBigIntegerField(default=0)  # summed duration_ms

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "study_day"], name="one_study_day_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.study_day}: {self.reviews} answers"

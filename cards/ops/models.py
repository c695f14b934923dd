"""Operations' own rows: one per day of maintenance (registered via cards.models)."""

from __future__ import annotations

from django.db import models


class MaintenanceRun(models.Model):
    """The daily maintenance of one UTC day: created with its job, never twice.

    The reminders tick creates it (unique `on`) in the transaction that
    enqueues the job, so ticks on several machines start one run a day.
    """

    on = models.DateField(unique=True, help_text="The UTC day of the run.")
    enqueued_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    deleted = models.JSONField(
        default=dict, blank=True, help_text="Rows deleted, by kind (once finished)."
    )

    def __str__(self) -> str:
        state = "finished" if self.finished_at else "queued"
        return f"Maintenance of {self.on}: {state}"

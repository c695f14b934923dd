"""The care domain's tables (one app label: cards): suspensions, notes, reports.

Imported at the end of cards/models.py so that the app registry finds them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cards.models import Question

__all__ = ["CardNote", "ProblemReport", "QuestionNeedingAttention", "Suspension"]

NOTE_MAX_CHARS = 1_000
REPORT_MAX_CHARS = 500


class Suspension(models.Model):
    """A card a learner took out of their queue; its schedule and log are kept.

    A row of its own rather than a schedule field: a new card (no schedule
    yet) can be suspended too.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="suspensions"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="one_suspension_per_card"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} suspended {self.question}"


class CardNote(models.Model):
    """A learner's private, plain-text note on a question (never rendered as HTML)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="learner_notes"
    )
    text = models.TextField(max_length=NOTE_MAX_CHARS)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="one_note_per_card"
            ),
        ]

    def __str__(self) -> str:
        return f"Note of {self.user} on {self.question}"


class ProblemReport(models.Model):
    """A learner's report of a problem with a question, until an admin resolves it."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="problem_reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    note = models.TextField(max_length=REPORT_MAX_CHARS)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["question"],
                condition=models.Q(resolved_at__isnull=True),
                name="report_open_question",
            ),
        ]

    def __str__(self) -> str:
        state = "resolved" if self.resolved_at else "open"
        return f"Report on {self.question} by {self.reporter} ({state})"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class QuestionNeedingAttention(Question):
    """The admin's "needs attention" list (cards/care/admin.py): no table of its own."""

    class Meta:
        proxy = True
        verbose_name = "question needing attention"
        verbose_name_plural = "questions needing attention"

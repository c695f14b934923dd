"""A mock interview and its answers, one row per question asked.

The clock of each question is on the server: `started_at` is set when the
question is first shown (at the start, or when the previous one is handed
in), `deadline` from it and the question's time limit. The text the learner
types is kept in `draft` as it is saved; `text` is what was handed in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cards.learner.choices import Confidence

__all__ = ["MockAnswer", "MockInterview"]


class MockInterview(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mock_interviews",
    )
    started_at = models.DateTimeField()
    study_day = models.DateField(help_text="The learner's study day at the start.")
    finished_at = models.DateTimeField(null=True, blank=True)
    # The setup as chosen: levels (empty: the weighted mix over all levels).
    levels = models.JSONField(default=list, blank=True)
    # ... and topics, by slug (empty: every topic the learner studies).
    topics = models.JSONField(default=list, blank=True)
    # "Review these soon" was used (the moment), once per mock.
    soon_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "started_at"], name="mock_user_start")]

    def __str__(self) -> str:
        return f"Mock interview of {self.user} on {self.study_day}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class MockAnswer(models.Model):
    mock = models.ForeignKey(
        MockInterview, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        "cards.Question", on_delete=models.PROTECT, related_name="mock_answers"
    )
    position = models.PositiveSmallIntegerField()
    time_limit_s = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    draft = models.TextField(blank=True, default="")
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(blank=True, default="")
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Received after the deadline plus the grace: kept, and marked late.
    is_late = models.BooleanField(default=False)
    confidence = models.PositiveSmallIntegerField(
        choices=Confidence, null=True, blank=True
    )
    # The checker's verdict at hand-in: [[statement, covered], ...] in order.
    points = models.JSONField(default=list, blank=True)
    missed_points = models.JSONField(default=list, blank=True)  # KeyPoint ids
    score = models.FloatField(null=True, blank=True)
    suggested_grade = models.PositiveSmallIntegerField(null=True, blank=True)
    # The grade the learner confirmed in the debrief, and the log it wrote.
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    review_log = models.OneToOneField(
        "cards.ReviewLog",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mock_answer",
    )

    class Meta:
        ordering = ["mock", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["mock", "position"], name="one_mock_answer_per_position"
            ),
            models.UniqueConstraint(
                fields=["mock", "question"], name="one_mock_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mock} · question {self.position + 1}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_confirmed(self) -> bool:
        """Its grade is in the log. An undo elsewhere (the review screen's Undo
        takes back the day's last answer, whatever its kind) removes the log
        row, and with it the confirmation."""
        return self.review_log_id is not None

    @property
    def used_ms(self) -> int | None:
        if self.started_at is None or self.submitted_at is None:
            return None
        return int((self.submitted_at - self.started_at).total_seconds() * 1000)

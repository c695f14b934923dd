"""The learner's interview plan and planned breaks (registered via cards.models)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cards.scheduling import plan


class InterviewPlan(models.Model):
    """One learner's interview date and what it covers.

    Clearing the date keeps the row (levels and minutes are remembered) and
    changes no schedule: intervals already capped stay as answered, and the
    next answers are scheduled as the scheduler alone would.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interview"
    )
    interview_on = models.DateField(
        null=True, blank=True, help_text="The interview day; empty: no plan."
    )
    set_on = models.DateField(
        null=True, blank=True, help_text="Study day the date was set."
    )
    levels = models.JSONField(
        default=list, blank=True, help_text="Levels that matter; empty: all."
    )
    # The bank issue adds topics to questions; until then this stays empty
    # (every topic) and the planner's Scope already carries it.
    topics = models.JSONField(default=list, blank=True)
    minutes_per_day = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(plan.core.MIN_MINUTES),
            MaxValueValidator(plan.core.MAX_MINUTES),
        ],
    )
    # Today's plan, made once per study day (services.prepare_day).
    prepared_on = models.DateField(null=True, blank=True)
    new_today = models.PositiveIntegerField(null=True, blank=True)
    # The pace is behind: today's new cards come before due reviews (the
    # queue reads it; plan.is_behind says why).
    new_first = models.BooleanField(default=False)
    # The study days today's plan moved due reviews to (one entry a review):
    # a run-up day over its limit (plan.day.defer). The dashboard says so.
    # Nullable, not a Python default: Django drops a default from the column
    # once it is added, and a server still running the release before would
    # insert plans without it (the rolling deploy of docs/DEPLOY.md).
    moved_today = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Interview of {self.user} on {self.interview_on or '-'}"

    @property
    def is_active(self) -> bool:
        return self.interview_on is not None

    def as_interview(self) -> plan.Interview | None:
        if self.interview_on is None:
            return None
        return plan.Interview(
            on=self.interview_on,
            set_on=self.set_on or self.interview_on,
            scope=plan.Scope(
                levels=frozenset(self.levels), topics=frozenset(self.topics)
            ),
            minutes_per_day=self.minutes_per_day,
        )


class StudyBreak(models.Model):
    """Days the learner is away: nothing falls due on them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="breaks"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="break_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} away {self.starts_on} to {self.ends_on}"

    def days(self) -> list[date]:
        n = (self.ends_on - self.starts_on).days + 1
        return [date.fromordinal(self.starts_on.toordinal() + i) for i in range(n)]

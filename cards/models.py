"""Questions, learners' settings, per-learner schedules and the review log."""

from __future__ import annotations

import zoneinfo
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import Truncator, slugify

from cards import markdown, scheduling
from cards.learner.choices import Confidence, GradeScale, SchedulerChoice, Theme
from cards.learner.day_settings import DaySettings
from cards.review import answer
from cards.scheduling import sm2

KEY_MAX_LENGTH = 80


def make_key(prompt: str) -> str:
    """The default stable key of a question: its prompt, slugified."""
    slug = slugify(prompt)
    if len(slug) > KEY_MAX_LENGTH:
        slug = slug[: KEY_MAX_LENGTH + 1].rsplit("-", 1)[0]
    return slug.strip("-")[:KEY_MAX_LENGTH] or "question"


@cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones() - {"localtime", "Factory"}))


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            "%(value)s is not a known time zone.", params={"value": value}
        )


class Level(models.IntegerChoices):
    BASIC = 1, "Basic"
    INTERMEDIATE = 2, "Intermediate"
    ADVANCED = 3, "Advanced"


class QuestionQuerySet(models.QuerySet["Question"]):
    def active(self) -> QuestionQuerySet:
        return self.filter(is_active=True)


class Question(models.Model):
    key = models.SlugField(
        max_length=KEY_MAX_LENGTH,
        unique=True,
        help_text="Stable identifier used to match imports. Keep it when editing.",
    )
    level = models.PositiveSmallIntegerField(choices=Level, default=Level.BASIC)
    position = models.PositiveIntegerField(
        default=0, help_text="Order within the level (lower first)."
    )
    # Issue 16: the seed (stage 0) before the packs (stage 1), whatever the level.
    stage = models.PositiveSmallIntegerField(
        "study stage",
        default=0,
        help_text="New cards come in stage order, then level, then position.",
    )
    prompt = models.TextField(max_length=2_000, help_text="Markdown.")
    answer = models.TextField(max_length=20_000, help_text="Markdown.")
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Inactive questions leave every learner's queue; history is kept.",
    )
    # Issue 16: topics (cards/bank/models.py), sources and the last check.
    topics = models.ManyToManyField("Topic", blank=True, related_name="questions")
    sources = models.TextField(
        blank=True, default="", help_text="One source per line (paper or docs)."
    )
    verified_on = models.DateField("last verified", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["stage", "level", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=Level.values), name="question_level_valid"
            ),
        ]
        indexes = [
            # The review queue's "next new card": active questions in study
            # order, walked until one the learner has not started.
            models.Index(
                fields=["stage", "level", "position", "id"],
                condition=models.Q(is_active=True),
                name="question_stage_order",
            ),
        ]

    def __str__(self) -> str:
        return Truncator(self.prompt).chars(80)

    @property
    def prompt_html(self) -> str:
        return markdown.render(self.prompt)

    @property
    def answer_html(self) -> str:
        return markdown.render(self.answer)

    @property
    def source_list(self) -> list[str]:
        return [line.strip() for line in self.sources.split("\n") if line.strip()]


class LearnerProfile(DaySettings, models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    time_zone = models.CharField(
        max_length=64, default="UTC", validators=[validate_time_zone]
    )
    rollover_hour = models.PositiveSmallIntegerField(
        "new day starts at",
        default=4,
        validators=[MaxValueValidator(23)],
        help_text="Hour (0-23, local time) at which a new study day begins.",
    )
    new_cards_per_day = models.PositiveSmallIntegerField(
        default=10, validators=[MaxValueValidator(500)]
    )
    reviews_per_day = models.PositiveSmallIntegerField(
        default=200, validators=[MinValueValidator(1), MaxValueValidator(5_000)]
    )
    grade_scale = models.CharField(
        max_length=4, choices=GradeScale, default=GradeScale.FOUR
    )
    # Issue 15: type an answer before the reveal; the checker suggests a grade.
    type_answer_first = models.BooleanField("type my answer first", default=False)
    # Issue 18: rate Unsure / Fairly sure / Certain before each reveal.
    rate_confidence = models.BooleanField("rate my confidence", default=False)
    theme = models.CharField(max_length=5, choices=Theme, default=Theme.AUTO)
    # A new time zone or rollover hour, in force from `pending_from` (see
    # cards/learner/day_settings.py).
    pending_time_zone = models.CharField(
        max_length=64, blank=True, default="", validators=[validate_time_zone]
    )
    pending_rollover_hour = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(23)]
    )
    pending_from = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # FSRS (issue 19). Change `scheduler` only through
    # cards.learner.scheduler_switch.switch_scheduler: it converts the states.
    scheduler = models.CharField(
        max_length=16, choices=SchedulerChoice, default=SchedulerChoice.SM2
    )
    desired_retention = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.90"),
        validators=[
            MinValueValidator(Decimal("0.70")),
            MaxValueValidator(Decimal("0.97")),
        ],
        help_text="FSRS only: the share of cards you want to recall when they "
        "come due (0.70 to 0.97).",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rollover_hour__lte=23), name="profile_rollover_hour"
            ),
            models.CheckConstraint(
                condition=models.Q(desired_retention__gte=Decimal("0.70"))
                & models.Q(desired_retention__lte=Decimal("0.97")),
                name="profile_desired_retention_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Settings of {self.user}"

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        """The stored zone; what applies at a moment is zone_at(moment)."""
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def retention(self) -> float:
        """The desired retention as the FSRS scheduler takes it."""
        return float(self.desired_retention)


def profile_for(user: models.Model) -> LearnerProfile:
    """The learner's settings; unsaved defaults when none were stored yet.

    Reads never write: a profile row appears when settings are first saved
    (or at sign-up).
    """
    try:
        return user.profile
    except LearnerProfile.DoesNotExist:
        return LearnerProfile(user=user)


class ReviewScheduleQuerySet(models.QuerySet["ReviewSchedule"]):
    def for_user(self, user: models.Model) -> ReviewScheduleQuerySet:
        return self.filter(user=user)


class ReviewSchedule(models.Model):
    """One learner's schedule for one question, created at its first answer.

    `state` is the scheduler's whole state (its `dumps`), named by `scheduler`.
    The columns beside it are what queries filter, sort and aggregate: the
    due and re-drill days, the version, the lapses, and, projected from the
    state by `apply`, the interval and SM-2's repetitions and ease (progress
    and the bank's analytics read them). Write the state only through `apply`.
    """

    # No index of its own: every index here leads with the user (0024).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="schedules",
        db_index=False,
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="schedules"
    )
    scheduler = models.CharField(
        max_length=16,
        default=scheduling.DEFAULT,
        help_text="The scheduler whose state `state` is (cards/scheduling).",
    )
    state = models.JSONField(help_text="The scheduler's whole state, serialised.")
    repetitions = models.PositiveIntegerField(default=0)
    interval_days = models.PositiveIntegerField(default=0)
    ease = models.DecimalField(max_digits=8, decimal_places=2, default=sm2.DEFAULT_EASE)
    due_on = models.DateField(help_text="Study day on which the card is next due.")
    lapses = models.PositiveIntegerField(default=0)
    redrill_on = models.DateField(
        null=True,
        blank=True,
        help_text="Study day on which the card was last answered below 4; it "
        "comes back that day until answered 4 or 5 (SM-2 step 7).",
    )
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=0, help_text="Advances with every accepted answer (stale-grade guard)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Question bank (issue 5): a substantial edit this learner has not yet seen.
    unseen_change = models.ForeignKey(
        "QuestionRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Set by a substantial edit; cleared when the card is next answered.",
    )

    # FSRS (issue 19): the state a switch of scheduler replaced, with the study
    # day and version of the switch, so that switching back the same day,
    # before another answer, restores it exactly. Not part of "Your data".
    switched_from = models.JSONField(null=True, blank=True, default=None)

    objects = ReviewScheduleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="one_schedule_per_user_question"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "due_on"], name="schedule_user_due"),
            models.Index(fields=["user", "redrill_on"], name="schedule_user_redrill"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question} (due {self.due_on})"

    def as_state(self) -> Any:
        """The scheduler's state, restored from `state`."""
        return scheduling.get(self.scheduler).loads(self.state)

    def apply(self, state: Any, *, due_on: date, scheduler: str | None = None) -> None:
        """Store `state` (of `scheduler`, else the schedule's own) and its columns."""
        self.scheduler = scheduler or self.scheduler
        owner = scheduling.get(self.scheduler)
        self.state = owner.dumps(state)
        self.interval_days = owner.interval_days(state)
        # SM-2's; a scheduler without them leaves a card the defaults, except
        # that an FSRS card in review counts as settled for progress (>= 2).
        settled = 2 if self.state.get("phase") == "review" else 0
        self.repetitions = self.state.get("repetitions", settled)
        self.ease = Decimal(self.state.get("ease", sm2.DEFAULT_EASE))
        self.due_on = due_on

    def elapsed_days(self, *, today: date, profile: LearnerProfile) -> int:
        """Study days since the last answer (0 if never answered, or today)."""
        if self.last_reviewed_at is None:
            return 0
        return max(0, (today - profile.study_day(self.last_reviewed_at)).days)

    @property
    def has_unseen_change(self) -> bool:
        """The question changed substantially since this learner last answered it."""
        return self.unseen_change_id is not None


class ReviewKind(models.TextChoices):
    """The kinds of cards/review/answer.py (the answer rule owns them)."""

    NEW = answer.Kind.NEW.value, "New card"
    REVIEW = answer.Kind.REVIEW.value, "Scheduled review"
    REDRILL = answer.Kind.REDRILL.value, "Same-day re-drill"
    DRILL = answer.Kind.DRILL.value, "Drill (off the schedule)"
    MOCK = answer.Kind.MOCK.value, "Mock interview (off the schedule)"


class ReviewLogQuerySet(models.QuerySet["ReviewLog"]):
    def for_user(self, user: models.Model) -> ReviewLogQuerySet:
        return self.filter(user=user)

    def on_day(self, user: models.Model, day: date) -> ReviewLogQuerySet:
        return self.filter(user=user, study_day=day)


class ReviewLog(models.Model):
    """Every accepted answer with the schedule state before and after it.

    Append-only, except that undo removes the row it restores from. The states
    are in `scheduler`'s serialised form, like ReviewSchedule.state, so a
    second scheduler needs no new columns.
    """

    # No index of their own: others lead with them (migration 0026).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, "review_logs", db_index=False
    )
    schedule = models.ForeignKey(
        ReviewSchedule, on_delete=models.CASCADE, related_name="logs", db_index=False
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="review_logs"
    )
    kind = models.CharField(max_length=8, choices=ReviewKind)
    grade = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(max(scheduling.GRADES))]
    )
    reviewed_at = models.DateTimeField()
    study_day = models.DateField()
    duration_ms = models.PositiveIntegerField(
        null=True, blank=True, help_text="Time from showing the card to the answer."
    )
    from_version = models.PositiveIntegerField()
    # The schedule before and after, whole: undo restores the before.
    scheduler = models.CharField(max_length=16, default=scheduling.DEFAULT)
    state_before = models.JSONField(help_text="The scheduler's state before.")
    due_before = models.DateField(null=True, blank=True)
    lapses_before = models.PositiveIntegerField()
    redrill_before = models.DateField(null=True, blank=True)
    last_reviewed_before = models.DateTimeField(null=True, blank=True)
    state_after = models.JSONField(help_text="The scheduler's state after.")
    due_after = models.DateField()
    # Typed answers (issue 15): the text as typed (plain, never rendered as
    # HTML), the checker's score and suggestion, the key points it missed.
    typed_answer = models.TextField(blank=True, default="")
    answer_score = models.FloatField(null=True, blank=True)
    suggested_grade = models.PositiveSmallIntegerField(null=True, blank=True)
    missed_points = models.JSONField(default=list, blank=True)
    # Issue 18: how sure the learner said they were before the reveal.
    confidence = models.PositiveSmallIntegerField(
        choices=Confidence, null=True, blank=True
    )

    objects = ReviewLogQuerySet.as_manager()

    class Meta:
        constraints = [
            # Backstop for the version check: one answer per shown state.
            models.UniqueConstraint(
                fields=["schedule", "from_version"], name="one_log_per_schedule_version"
            ),
            models.CheckConstraint(
                condition=models.Q(grade__lte=5), name="review_log_grade_0_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "reviewed_at"], name="log_user_time"),
            # --- Progress page (issue 4): covers the per-day aggregation, so
            # both databases answer it from the index without touching rows.
            models.Index(
                fields=["user", "study_day", "kind", "grade", "duration_ms"],
                name="log_user_day_stats",
            ),
            # Progress page (issue 12): its typed-answer and confidence panels
            # read only these few rows, so their cost follows them, not the log.
            models.Index(
                fields=["user"],
                condition=models.Q(suggested_grade__isnull=False),
                name="log_user_checked",
            ),
            models.Index(
                fields=["user"],
                condition=models.Q(confidence__isnull=False),
                name="log_user_rated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} graded {self.question} {self.grade} on {self.study_day}"

    @property
    def started_schedule(self) -> bool:
        """This answer created its schedule (so undoing it deletes the schedule).

        The first answer to a card, whatever its flow, has no due date before it.
        """
        return self.due_before is None


# Other domains' models, imported so that the app registry (one app label) finds them.
from cards.bank.models import (  # noqa: E402, F401
    KeyPoint,
    LearnerTopic,
    QuestionRevision,
    RevisionSource,
    Topic,
)
from cards.care.models import *  # noqa: E402,F403
from cards.learner.models import DataImport, DataImportChunk, UsernameSkeleton  # noqa: E402, F401
from cards.mock.models import MockAnswer, MockInterview  # noqa: E402, F401
from cards.ops.models import MaintenanceRun  # noqa: E402, F401
from cards.planning.models import InterviewPlan, StudyBreak  # noqa: E402, F401
from cards.progress.models import StudyDay  # noqa: E402, F401
from cards.reminders.models import *  # noqa: E402,F403

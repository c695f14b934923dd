"""Every multi-step database write: grading, undo, sign-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from cards import scheduling
from cards.models import (
    LearnerProfile,
    Question,
    ReviewKind,
    ReviewLog,
    ReviewSchedule,
    profile_for,
)
from cards.scheduling import sm2

MAX_DURATION_MS = 10 * 60 * 1000  # an answer left open longer is not study time


class ReviewConflict(Exception):
    """The card is no longer in the state the learner saw (409 for the views)."""

    def __init__(self, message: str = "This card was already graded.") -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Snapshot:
    repetitions: int
    interval_days: int
    ease: object
    due_on: object
    lapses: int
    redrill_on: object
    last_reviewed_at: object


def _snapshot(schedule: ReviewSchedule) -> Snapshot:
    return Snapshot(
        repetitions=schedule.repetitions,
        interval_days=schedule.interval_days,
        ease=schedule.ease,
        due_on=schedule.due_on,
        lapses=schedule.lapses,
        redrill_on=schedule.redrill_on,
        last_reviewed_at=schedule.last_reviewed_at,
    )


def _locked_schedule(
    user: AbstractBaseUser, question: Question
) -> ReviewSchedule | None:
    return (
        ReviewSchedule.objects.select_for_update()
        .filter(user=user, question=question)
        .first()
    )


def record_review(
    *,
    user: AbstractBaseUser,
    question: Question,
    grade: int,
    version: int,
    now: datetime,
    duration_ms: int | None = None,
) -> ReviewLog:
    """Grade `question` for `user`, exactly once per shown state.

    `version` is the schedule version the card was shown at (0 for a card never
    answered). The schedule row is locked for the transaction, so of two
    concurrent answers to the same shown state one wins and the other raises
    ReviewConflict; a unique constraint on the log is the backstop.
    """
    grade = scheduling.validate_grade(grade)
    try:
        return _record_review(
            user=user,
            question=question,
            grade=grade,
            version=version,
            now=now,
            duration_ms=duration_ms,
        )
    except IntegrityError:
        # A concurrent first answer to the same new card inserted its schedule
        # first (or the log's one-answer-per-version backstop fired). The whole
        # atomic block has rolled back, so nothing was written. Catching it out
        # here rather than around the insert saves a savepoint per grade.
        raise ReviewConflict() from None


@transaction.atomic
def _record_review(
    *,
    user: AbstractBaseUser,
    question: Question,
    grade: int,
    version: int,
    now: datetime,
    duration_ms: int | None,
) -> ReviewLog:
    today = profile_for(user).study_day(now)
    schedule = _locked_schedule(user, question)
    if schedule is None:
        if version != 0:
            raise ReviewConflict()
        if not question.is_active:
            raise ReviewConflict("This question has been retired.")
        kind = ReviewKind.NEW
        schedule = ReviewSchedule(user=user, question=question, due_on=today)
    else:
        if schedule.version != version:
            raise ReviewConflict()
        if schedule.redrill_on == today:
            kind = ReviewKind.REDRILL
        elif schedule.due_on > today:
            raise ReviewConflict("This card is not due yet.")
        else:
            kind = ReviewKind.REVIEW
        if not question.is_active:
            raise ReviewConflict("This question has been retired.")

    before = _snapshot(schedule)
    if kind != ReviewKind.REDRILL:
        # Re-drill answers are logged but leave the SM-2 state alone (step 7).
        scheduler = sm2.SM2()
        new = scheduler.next_state(schedule.as_state(), grade, elapsed_days=0)
        schedule.apply(new, due_on=scheduler.due_on(new, today))
        if grade < scheduling.PASSING_GRADE and before.repetitions > 0:
            schedule.lapses += 1
    schedule.redrill_on = today if sm2.needs_redrill(grade) else None
    schedule.last_reviewed_at = now
    # Question bank: answering the card is seeing its substantially changed text.
    schedule.unseen_change = None
    from_version = schedule.version
    schedule.version = from_version + 1
    schedule.save(force_insert=kind == ReviewKind.NEW)

    if duration_ms is not None:
        duration_ms = max(0, min(int(duration_ms), MAX_DURATION_MS))
    return ReviewLog.objects.create(
        user=user,
        schedule=schedule,
        question=question,
        kind=kind,
        grade=grade,
        reviewed_at=now,
        study_day=today,
        duration_ms=duration_ms,
        from_version=from_version,
        repetitions_before=before.repetitions,
        interval_before=before.interval_days,
        ease_before=before.ease,
        due_before=None if kind == ReviewKind.NEW else before.due_on,
        lapses_before=before.lapses,
        redrill_before=before.redrill_on,
        last_reviewed_before=before.last_reviewed_at,
        repetitions_after=schedule.repetitions,
        interval_after=schedule.interval_days,
        ease_after=schedule.ease,
        due_after=schedule.due_on,
    )


@transaction.atomic
def undo_review(*, user: AbstractBaseUser, log_id: int, now: datetime) -> Question:
    """Take back answer `log_id` and restore its schedule exactly as it was.

    Only the newest answer of one of today's cards can be undone, so undoing
    repeatedly walks today's answers back in reverse order. Returns the
    question, to be shown again.
    """
    log = (
        ReviewLog.objects.select_for_update()
        .select_related("question")
        .filter(user=user, pk=log_id)
        .first()
    )
    if log is None:
        raise ReviewConflict("That answer was already undone.")
    today = profile_for(user).study_day(now)
    if log.study_day != today:
        raise ReviewConflict("Only today's answers can be undone.")
    schedule = ReviewSchedule.objects.select_for_update().get(pk=log.schedule_id)
    if schedule.version != log.from_version + 1:
        raise ReviewConflict("Undo the later answers to this card first.")
    question = log.question
    log.delete()
    if log.kind == ReviewKind.NEW:
        schedule.delete()
        return question
    schedule.repetitions = log.repetitions_before
    schedule.interval_days = log.interval_before
    schedule.ease = log.ease_before
    schedule.due_on = log.due_before
    schedule.lapses = log.lapses_before
    schedule.redrill_on = log.redrill_before
    schedule.last_reviewed_at = log.last_reviewed_before
    schedule.version = log.from_version
    schedule.save()
    return question


def last_undoable(*, user: AbstractBaseUser, now: datetime) -> ReviewLog | None:
    """Today's newest answer, if any (what the Undo button takes back)."""
    today = profile_for(user).study_day(now)
    return ReviewLog.objects.on_day(user, today).order_by("-pk").first()


@transaction.atomic
def sign_up(
    *, username: str, email: str, password: str, time_zone: str = "UTC"
) -> AbstractBaseUser:
    """Create a learner and their settings; every active question starts as new."""
    user = get_user_model().objects.create_user(
        username=username, email=email, password=password
    )
    LearnerProfile.objects.create(user=user, time_zone=time_zone)
    return user


@transaction.atomic
def save_settings(
    *, profile: LearnerProfile, now: datetime | None = None
) -> LearnerProfile:
    profile.full_clean()
    keep_due_cards_due(profile=profile, now=now or timezone.now())
    profile.save()
    return profile


def set_questions_active(*, questions: QuerySet[Question], is_active: bool) -> int:
    """Activate or retire questions in bulk; schedules and history stay."""
    return questions.update(is_active=is_active, updated_at=timezone.now())


# --- Time zone and rollover changes (issue 6, invariant I5) -----------------


def keep_due_cards_due(*, profile: LearnerProfile, now: datetime) -> int:
    """Keep what is due today due when `profile`'s day moves (before saving it).

    A new time zone or rollover hour can put "today" on another date. Moving
    back a day (going west) would hide the cards due today until tomorrow, so
    they become due on the new today; re-drills of today follow today either
    way. Returns the number of schedules moved.
    """
    stored = LearnerProfile.objects.filter(user=profile.user).first()
    old_day = (stored or LearnerProfile(user=profile.user)).study_day(now)
    new_day = profile.study_day(now)
    if new_day == old_day:
        return 0
    mine = ReviewSchedule.objects.for_user(profile.user)
    moved = mine.filter(redrill_on=old_day).update(redrill_on=new_day)
    if new_day < old_day:
        moved += mine.filter(due_on__gt=new_day, due_on__lte=old_day).update(
            due_on=new_day
        )
    return moved

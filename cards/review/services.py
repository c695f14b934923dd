"""The daily loop's writes: grading an answer, and taking one back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from cards import scheduling
from cards.models import (
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

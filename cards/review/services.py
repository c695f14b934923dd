"""The daily loop's writes: grading an answer, and taking one back.

Both go through the answer rule (cards/review/answer.py) and hold the
schedule's row lock for their transaction; ReviewConflict says why not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Exists

from cards import scheduling
from cards.models import (
    InterviewPlan,
    Question,
    ReviewLog,
    ReviewSchedule,
    profile_for,
)
from cards.planning import reads as planning
from cards.progress import rollup
from cards.review import answer
from cards.review.conflicts import Reason, ReviewConflict

__all__ = [
    "MAX_DURATION_MS",
    "ReviewConflict",
    "TypedAnswer",
    "record_review",
    "undo_review",
]

MAX_DURATION_MS = 10 * 60 * 1000  # an answer left open longer is not study time


@dataclass(frozen=True)
class TypedAnswer:
    """What the learner typed before the reveal and what the checker made of it."""

    text: str
    score: float
    suggested_grade: int
    missed: tuple[int, ...] = ()  # ids of the key points it missed


@dataclass(frozen=True)
class _Before:
    """The schedule as it was before an answer (what the log keeps)."""

    state: dict
    due_on: date | None
    lapses: int
    redrill_on: date | None
    last_reviewed_at: datetime | None


def _before(schedule: ReviewSchedule, *, created: bool) -> _Before:
    return _Before(
        state=schedule.state,
        due_on=None if created else schedule.due_on,
        lapses=schedule.lapses,
        redrill_on=schedule.redrill_on,
        last_reviewed_at=schedule.last_reviewed_at,
    )


def _locked_schedule(
    user: AbstractBaseUser, question: Question
) -> ReviewSchedule | None:
    # Whether the learner has a plan row comes with the lock: without one no
    # interval is capped, and grading needs no query for the plan.
    return (
        ReviewSchedule.objects.select_for_update()
        .filter(user=user, question=question)
        .annotate(has_plan=Exists(InterviewPlan.objects.filter(user=user)))
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
    flow: str = answer.Flow.REVIEW,
    typed: TypedAnswer | None = None,
    confidence: int | None = None,
) -> ReviewLog:
    """Grade `question` for `user`, exactly once per shown state.

    `version` is the schedule version the card was shown at (0 for a card never
    answered). `flow` is where the answer comes from: the daily review keeps to
    the schedule, drills and mock interviews may answer a card before it is due
    (the rule for answers off the schedule). The schedule row is locked for the
    transaction, so of two concurrent answers to the same shown state one wins
    and the other raises ReviewConflict; a unique constraint on the log is the
    backstop. `typed` is kept in the log beside the grade given, and so is
    `confidence` (issue 18: 1-3, how sure the learner was before the reveal).
    """
    grade = scheduling.validate_grade(grade)
    flow = answer.Flow(flow)
    try:
        return _record_review(
            user=user,
            question=question,
            grade=grade,
            version=version,
            now=now,
            duration_ms=duration_ms,
            flow=flow,
            typed=typed,
            confidence=confidence,
        )
    except IntegrityError:
        # A concurrent first answer to the same new card inserted its schedule
        # first (or the log's one-answer-per-version backstop fired). The whole
        # atomic block has rolled back, so nothing was written. Catching it out
        # here rather than around the insert saves a savepoint per grade.
        raise ReviewConflict(Reason.STALE) from None


@transaction.atomic
def _record_review(
    *,
    user: AbstractBaseUser,
    question: Question,
    grade: int,
    version: int,
    now: datetime,
    duration_ms: int | None,
    flow: answer.Flow,
    typed: TypedAnswer | None,
    confidence: int | None = None,
) -> ReviewLog:
    profile = profile_for(user)
    today = profile.study_day(now)
    schedule = _locked_schedule(user, question)
    kind = answer.accept(
        schedule,
        shown_version=version,
        is_active=question.is_active,
        today=today,
        flow=flow,
    )
    created = schedule is None
    if created:
        # A first answer starts from the learner's scheduler's initial state.
        schedule = ReviewSchedule(user=user, question=question)
        initial = scheduling.get(profile.scheduler).initial_state()
        schedule.apply(initial, due_on=today, scheduler=profile.scheduler)
    before = _before(schedule, created=created)
    result = answer.outcome_for(
        kind,
        None if created else schedule,
        grade=grade,
        today=today,
        elapsed_days=schedule.elapsed_days(today=today, profile=profile),
        new_scheduler=profile.scheduler,
        desired_retention=profile.retention,
        # The interview plan caps the interval (None: no plan, or not now).
        cap_for=planning.capper_for(
            user,
            today=today,
            level=question.level,
            has_plan=getattr(schedule if not created else question, "has_plan", True),
        ),
    )
    schedule.apply(result.state, due_on=result.due_on)
    schedule.redrill_on = result.redrill_on
    schedule.lapses += result.is_lapse
    schedule.last_reviewed_at = now
    # Question bank: answering the card is seeing its substantially changed text.
    schedule.unseen_change = None
    from_version = schedule.version
    schedule.version = from_version + 1
    schedule.save(force_insert=created)

    if duration_ms is not None:
        duration_ms = max(0, min(int(duration_ms), MAX_DURATION_MS))
    rollup.record(
        user_id=user.pk,
        study_day=today,
        grade=grade,
        kind=kind,
        duration_ms=duration_ms,
    )
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
        scheduler=schedule.scheduler,
        state_before=before.state,
        due_before=before.due_on,
        lapses_before=before.lapses,
        redrill_before=before.redrill_on,
        last_reviewed_before=before.last_reviewed_at,
        state_after=schedule.state,
        due_after=schedule.due_on,
        typed_answer=typed.text if typed else "",
        answer_score=typed.score if typed else None,
        suggested_grade=typed.suggested_grade if typed else None,
        missed_points=list(typed.missed) if typed else [],
        confidence=confidence,
    )


@transaction.atomic
def undo_review(*, user: AbstractBaseUser, log_id: int, now: datetime) -> Question:
    """Take back answer `log_id` and restore its schedule exactly as it was.

    Only the newest answer of one of today's cards can be undone, so undoing
    repeatedly walks today's answers back in reverse order. The answer is
    looked up once, under a row lock: one that is gone (or not this learner's)
    is ALREADY_UNDONE, whichever request got there first. Returns the
    question, to be shown again.
    """
    log = (
        ReviewLog.objects.select_for_update()
        .select_related("question")
        .filter(user=user, pk=log_id)
        .first()
    )
    if log is None:
        raise ReviewConflict(Reason.ALREADY_UNDONE)
    if log.study_day != profile_for(user).study_day(now):
        raise ReviewConflict(Reason.NOT_TODAY)
    schedule = ReviewSchedule.objects.select_for_update().get(pk=log.schedule_id)
    if schedule.version != log.from_version + 1:
        raise ReviewConflict(Reason.LATER_ANSWERS)
    question = log.question
    log.delete()
    rollup.record(
        user_id=log.user_id,
        study_day=log.study_day,
        grade=log.grade,
        kind=log.kind,
        duration_ms=log.duration_ms,
        sign=-1,
    )
    if log.started_schedule:
        schedule.delete()
        return question
    # The state before, whole, in the form the answer's scheduler wrote it.
    owner = scheduling.get(log.scheduler)
    schedule.apply(
        owner.loads(log.state_before), due_on=log.due_before, scheduler=log.scheduler
    )
    schedule.lapses = log.lapses_before
    schedule.redrill_on = log.redrill_before
    schedule.last_reviewed_at = log.last_reviewed_before
    schedule.version = log.from_version
    schedule.save()
    return question

"""The daily loop's writes: grading an answer, and taking one back.

Both go through the answer rule (cards/review/answer.py) and hold the
schedule's row lock for their transaction; ReviewConflict says why not.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Exists, OuterRef

from cards import scheduling
from cards.models import (
    InterviewPlan,
    Question,
    ReviewLog,
    ReviewSchedule,
    Suspension,
    profile_for,
)
from cards.planning import reads as planning
from cards.progress import rollup
from cards.review import answer, grade_sql
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


# What the learner typed, or a function of the question that checks it once
# the question is read (the grade view: no query of its own for the question).
Typed = TypedAnswer | Callable[[Question], TypedAnswer | None] | None


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
    user: AbstractBaseUser, question: Question, *, flow: answer.Flow
) -> ReviewSchedule | None:
    # Whether the learner has a plan row comes with the lock: without one no
    # interval is capped, and grading needs no query for the plan. So does
    # whether the card was suspended since it was shown (the daily review).
    schedules = (
        ReviewSchedule.objects.select_for_update()
        .filter(user=user, question=question)
        .annotate(has_plan=Exists(InterviewPlan.objects.filter(user=user)))
    )
    if flow is answer.Flow.REVIEW:
        schedules = schedules.annotate(
            is_suspended=Exists(Suspension.objects.filter(user=user, question=question))
        )
    return schedules.first()


def _is_suspended(user: AbstractBaseUser, question_id: int) -> bool:
    return Suspension.objects.filter(user=user, question_id=question_id).exists()


def record_review(
    *,
    user: AbstractBaseUser,
    question: Question | int,
    grade: int,
    version: int,
    now: datetime,
    duration_ms: int | None = None,
    flow: str = answer.Flow.REVIEW,
    typed: Typed = None,
    confidence: int | None = None,
) -> ReviewLog:
    """Grade `question` (or the question of that id) for `user`, exactly once
    per shown state.

    `version` is the schedule version the card was shown at (0 for a card never
    answered). `flow` is where the answer comes from: the daily review keeps to
    the schedule, drills and mock interviews may answer a card before it is due
    (the rule for answers off the schedule). The schedule row is locked for the
    transaction, so of two concurrent answers to the same shown state one wins
    and the other raises ReviewConflict; a unique constraint on the log is the
    backstop. `typed` is kept in the log beside the grade given, and so is
    `confidence` (issue 18: 1-3, how sure the learner was before the reveal).

    On PostgreSQL, outside a transaction, one read and one write statement in
    autocommit (cards/review/grade_sql.py: the version check is in the write);
    elsewhere the ORM under a row lock. Question.DoesNotExist for an unknown id.
    """
    grade = scheduling.validate_grade(grade)
    flow = answer.Flow(flow)
    # The answer's maths, given the schedule as read: the same on both paths.
    answering = functools.partial(
        answer_card,
        user=user,
        grade=grade,
        version=version,
        now=now,
        duration_ms=duration_ms,
        flow=flow,
        typed=typed,
        confidence=confidence,
    )
    if connections[router.db_for_write(ReviewLog)].vendor == "postgresql":
        return grade_sql.record_review(
            user=user, question=question, answer_card=answering, flow=flow
        )
    try:
        return _record_review_orm(
            user=user, question=question, answer_card=answering, flow=flow
        )
    except IntegrityError:
        # A concurrent first answer to the same new card inserted its schedule
        # first (or the log's one-answer-per-version backstop fired). The whole
        # atomic block has rolled back, so nothing was written. Catching it out
        # here rather than around the insert saves a savepoint per grade.
        raise ReviewConflict(Reason.STALE) from None


@transaction.atomic
def _record_review_orm(
    *,
    user: AbstractBaseUser,
    question: Question | int,
    answer_card: Callable[..., Answered],
    flow: answer.Flow,
) -> ReviewLog:
    """The ORM path (SQLite): the schedule locked for the transaction."""
    if not isinstance(question, Question):
        question = Question.objects.annotate(
            has_plan=Exists(InterviewPlan.objects.filter(user=user)),
            is_suspended=Exists(
                Suspension.objects.filter(user=user, question=OuterRef("pk"))
            ),
        ).get(pk=question)
    schedule = _locked_schedule(user, question, flow=flow)
    suspended = getattr(schedule if schedule else question, "is_suspended", None)
    if suspended is None:
        suspended = flow is answer.Flow.REVIEW and _is_suspended(user, question.pk)
    answered = answer_card(
        question=question,
        schedule=schedule,
        is_suspended=suspended,
        has_plan=getattr(schedule if schedule else question, "has_plan", True),
    )
    answered.schedule.save(force_insert=answered.created)
    answered.log.schedule = answered.schedule
    answered.log.save(force_insert=True)
    # The learner's day in the rollup, in the same transaction (issue 12).
    rollup.record_log(answered.log)
    return answered.log


@dataclass(frozen=True)
class Answered:
    """An accepted answer, computed but not written: the schedule as it becomes
    (unsaved) and its log row (unsaved)."""

    schedule: ReviewSchedule
    log: ReviewLog
    created: bool


def answer_card(
    *,
    user: AbstractBaseUser,
    question: Question,
    schedule: ReviewSchedule | None,
    grade: int,
    version: int,
    now: datetime,
    duration_ms: int | None,
    flow: answer.Flow,
    typed: Typed,
    confidence: int | None,
    is_suspended: bool,
    has_plan: bool,
) -> Answered:
    """What an answer to `schedule` (as read; None: never answered) writes.

    Raises ReviewConflict as the answer rule says, and for a card suspended
    since it was shown (another tab): both paths of record_review call it."""
    profile = profile_for(user)
    today = profile.study_day(now)
    kind = answer.accept(
        schedule,
        shown_version=version,
        is_active=question.is_active,
        today=today,
        flow=flow,
    )
    if is_suspended and flow is answer.Flow.REVIEW:
        raise ReviewConflict(Reason.SUSPENDED)
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
            user, today=today, level=question.level, has_plan=has_plan
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

    if duration_ms is not None:
        duration_ms = max(0, min(int(duration_ms), MAX_DURATION_MS))
    if callable(typed):
        typed = typed(question)
    log = ReviewLog(
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
    return Answered(schedule=schedule, log=log, created=created)


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
    rollup.record_log(log, sign=-1)
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

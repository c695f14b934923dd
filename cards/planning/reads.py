"""What the plan needs from the database, and what the queue asks of the plan: reads only."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q

from cards import scheduling
from cards.care import reads as care_reads
from cards.models import LearnerProfile, Question, ReviewKind, ReviewLog, ReviewSchedule
from cards.planning.models import InterviewPlan, StudyBreak
from cards.review import queue_sql
from cards.scheduling import plan

EFFORT_SAMPLE = 200  # the learner's latest answers that set their pace
USUAL_DAYS = 14  # study days that define the learner's usual load
DEFAULT_USUAL_LOAD = 20


def interview_for(user: object) -> InterviewPlan | None:
    return InterviewPlan.objects.filter(user=user).first()


def _studied(user: object):
    """The active questions the learner studies: their topics, not suspended
    (the queue's own filters)."""
    return Question.objects.active().filter(
        queue_sql.studied_by(user), ~Q(pk__in=care_reads.suspended_ids(user))
    )


def cards_for(user: object, profile: LearnerProfile) -> list[plan.Card]:
    """Every active question the learner studies (their topics, not suspended:
    the queue's own filters) as the plan sees it, with this learner's schedule."""
    schedules = {
        s.question_id: s
        for s in ReviewSchedule.objects.filter(user=user, question__is_active=True)
    }
    cards = []
    for question in _studied(user).only("pk", "level"):
        s = schedules.get(question.pk)
        if s is None:
            cards.append(plan.Card(id=question.pk, level=question.level))
            continue
        cards.append(
            plan.Card(
                id=question.pk,
                level=question.level,
                scheduler=scheduling.get(s.scheduler),
                state=s.as_state(),
                due_on=s.due_on,
                reviewed_on=(
                    profile.study_day(s.last_reviewed_at)
                    if s.last_reviewed_at
                    else s.due_on - timedelta(days=s.interval_days)
                ),
            )
        )
    return cards


def due_load(user: object, first: date, last: date) -> dict[date, int]:
    """Cards due on each day from `first` to `last` (days with none left out)."""
    rows = (
        ReviewSchedule.objects.filter(
            user=user, question__is_active=True, due_on__range=(first, last)
        )
        .values("due_on")
        .annotate(n=Count("pk"))
    )
    return {r["due_on"]: r["n"] for r in rows}


def away_days(user: object, *, after: date) -> frozenset[date]:
    days: set[date] = set()
    for away in StudyBreak.objects.filter(user=user, ends_on__gte=after):
        days.update(away.days())
    return frozenset(days)


def answered_since(user: object, interview: plan.Interview, today: date) -> int:
    """Cards of the plan answered on the study days from the day the date was
    set to yesterday, each card once a day (the plan's day_limit): the plan's
    levels, of the questions it sees (cards_for: studied topics, unsuspended)."""
    logs = ReviewLog.objects.filter(
        user=user,
        study_day__gte=interview.set_on,
        study_day__lt=today,
        question__in=_studied(user),
    )
    if interview.scope.levels:
        logs = logs.filter(question__level__in=interview.scope.levels)
    return logs.values("study_day", "schedule").distinct().count()


def effort_for(user: object) -> plan.Effort:
    """The learner's own median answer times (new cards and reviews) and the
    share of their latest reviews failed."""
    logs = ReviewLog.objects.filter(user=user).order_by("-reviewed_at")
    timed = logs.filter(duration_ms__isnull=False)
    new = timed.filter(kind=ReviewKind.NEW).values_list("duration_ms", flat=True)
    reviews = timed.filter(kind=ReviewKind.REVIEW).values_list("duration_ms", flat=True)
    grades = logs.filter(kind=ReviewKind.REVIEW).values_list("grade", flat=True)
    return plan.effort_from(
        new[:EFFORT_SAMPLE], reviews[:EFFORT_SAMPLE], grades[:EFFORT_SAMPLE]
    )


def usual_load(user: object, today: date, *, days: int = USUAL_DAYS) -> float:
    """Cards a day on the learner's last `days` days of study before today."""
    rows = (
        ReviewLog.objects.filter(user=user, study_day__lt=today)
        .values("study_day")
        .annotate(n=Count("schedule", distinct=True))
        .order_by("-study_day")[:days]
    )
    counts = [r["n"] for r in rows]
    return statistics.fmean(counts) if counts else DEFAULT_USUAL_LOAD


def capper_for(
    user: object, *, today: date, level: int, has_plan: bool = True
) -> Callable[[int], int | None] | None:
    """The plan's due day for a card of `level` answered today (days from today),
    as a function of the interval it would get: the interview plan's cap (in
    its run-up, for its levels), else one that keeps it off planned days away
    (before the break, a cap, or after it, a later day); None when neither
    applies.
    `has_plan=False` says the caller already knows there is no plan row."""
    if not has_plan:
        return None
    # One query for the learner with neither (a break always has a plan row).
    row = (
        InterviewPlan.objects.filter(user=user)
        .annotate(
            has_away=Exists(
                StudyBreak.objects.filter(user=OuterRef("user"), ends_on__gte=today)
            )
        )
        .first()
    )
    if row is None:
        return None
    interview = row.as_interview()
    planned = (
        interview is not None
        and plan.phase(interview, today) is plan.Phase.RUN_UP
        and interview.scope.includes(plan.Card(id=0, level=level))
    )
    away = away_days(user, after=today) if row.has_away else frozenset()
    if not planned and not away:
        return None
    last = max([interview.on] if planned else [], default=today)
    # An answer may fall due after a break, within as many days as it lasts
    # (plan.away_cap): the days away are at least that many.
    last = max([last, *away]) + timedelta(days=len(away))
    load = due_load(user, today + timedelta(days=1), last + timedelta(days=1))

    def cap(interval: int) -> int | None:
        if planned:
            return plan.cap_for(
                interview, today, interval=interval, load=load, away=away
            )
        return plan.away_cap(today, interval=interval, away=away, load=load)

    return cap

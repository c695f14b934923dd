"""Read-only aggregation for the progress page: every figure is GROUP BY'd in SQL.

Each function runs one query whose result has at most one row per study day,
level, due day or ease value, never one per review, and returns the plain rows
of `cards.progress` that the pure shaping code works on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, DateField, Q, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from cards import progress
from cards.care import reads as care_reads
from cards.models import (
    KeyPoint,
    Level,
    MockInterview,
    Question,
    ReviewLog,
    ReviewSchedule,
    StudyDay,
    Topic,
)
from cards.progress import compiled, rollup
from cards.progress.core import percent
from cards.review.queue_sql import studied_by


def _schedules(user: object):
    """The learner's active cards in the topics they study (as the queue)."""
    return ReviewSchedule.objects.filter(
        studied_by(user, "question_id"), user=user, question__is_active=True
    )


def daily_activity(user: object) -> tuple[progress.DayActivity, ...]:
    """Answers per study day over the whole history, oldest first.

    Whole history because the longest streak and the total need it. Read from
    the per-day rollup (cards/progress/rollup.py), one row per day studied, so
    the cost grows with the days, never with the answers; days whose answers
    were all undone are all-zero rows, left out.
    """
    rows = (
        StudyDay.objects.filter(user=user, reviews__gt=0)
        .order_by("study_day")
        .values_list("study_day", *rollup.COUNTERS)
    )
    return tuple(progress.DayActivity(*row) for row in rows)


def _questions_by_level(user_pk: int, today: date):
    return (
        Question.objects.active()
        .filter(studied_by(user_pk))
        .values_list("level")
        .annotate(n=Count("id"))
        .order_by()
    )


def _schedules_by_level(user_pk: int, today: date):
    redrilling = Q(redrill_on=today)
    settled = ~redrilling & Q(repetitions__gte=2)
    return (
        _schedules(user_pk)
        .values("question__level")
        .annotate(
            learning=Count("id", filter=Q(repetitions__lt=2) | redrilling),
            young=Count(
                "id", filter=settled & Q(interval_days__lt=progress.MATURE_DAYS)
            ),
            mature=Count(
                "id", filter=settled & Q(interval_days__gte=progress.MATURE_DAYS)
            ),
            ease=Avg("ease", filter=Q(scheduler="sm2")),  # FSRS has no ease
            lapses=Coalesce(Sum("lapses"), 0),
            overdue=Count("id", filter=Q(due_on__lt=today)),
            # Re-drill cards answered today are due again later; count them once.
            redrilling=Count("id", filter=redrilling & Q(due_on__gt=today)),
        )
        .order_by()
    )


def cards_by_level(user: object, *, today: date) -> tuple[progress.LevelCards, ...]:
    """Active questions per level, and the learner's started cards by state.

    Retired questions are left out everywhere: they are out of every queue.
    """
    questions = dict(compiled.fetch("levels", _questions_by_level, user_pk=user.pk))
    rows = {
        row.pop("question__level"): row
        for row in compiled.fetch(
            "level_states",
            _schedules_by_level,
            user_pk=user.pk,
            today=today,
            offsets=(0,),
        )
    }
    out = []
    for level in Level:
        row = rows.get(level.value, {})
        ease = row.pop("ease", None)
        out.append(
            progress.LevelCards(
                level=level.value,
                name=level.label,
                questions=questions.get(level.value, 0),
                ease=None
                if ease is None
                else Decimal(str(ease)).quantize(Decimal("0.01")),
                **row,
            )
        )
    return tuple(out)


def _due(user_pk: int, today: date, days: int):
    day = Greatest("due_on", Value(today, output_field=DateField()))
    return (
        _schedules(user_pk)
        .filter(
            care_reads.not_suspended(
                user_pk
            ),  # suspended cards are not coming (issue 16)
            due_on__lte=today + timedelta(days=days - 1),
        )
        .annotate(day=day)
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    )


def due_by_day(user: object, *, today: date, days: int) -> dict[date, int]:
    """Active cards due on each of the next `days` study days; overdue on today."""
    rows = compiled.fetch(
        f"due:{days}",
        lambda user_pk, today: _due(user_pk, today, days),
        user_pk=user.pk,
        today=today,
        offsets=(0, days - 1) if days > 1 else (0,),
    )
    return {_as_date(row["day"]): row["n"] for row in rows}


def _eases(user_pk: int, today: date):
    return (
        _schedules(user_pk)
        .filter(scheduler="sm2")
        .values_list("ease")
        .annotate(n=Count("id"))
        .order_by("ease")
    )


def ease_counts(user: object) -> tuple[tuple[Decimal, int], ...]:
    """(ease, cards) for the learner's started, active SM-2 cards: a handful of rows."""
    rows = compiled.fetch("eases", _eases, user_pk=user.pk)
    return tuple((Decimal(ease), n) for ease, n in rows)


def snapshot(user: object, *, today: date) -> progress.Snapshot:
    """Everything the progress page shows, in five queries."""
    return progress.Snapshot(
        today=today,
        days=daily_activity(user),
        levels=cards_by_level(user, today=today),
        due=due_by_day(user, today=today, days=progress.FORECAST_DAYS),
        eases=ease_counts(user),
    )


@dataclass(frozen=True)
class TopicMastery:
    slug: str
    name: str
    questions: int
    started: int
    mature: int

    @property
    def share(self) -> str:
        return percent(self.mature, self.questions)


def _topics(user_pk: int, today: date):
    studied = Question.objects.active().filter(studied_by(user_pk))
    return (
        Topic.objects.filter(questions__in=studied)
        .annotate(n=Count("questions", distinct=True))
        .order_by("order", "name")
        .values_list("pk", "slug", "name", "n")
    )


def _topic_schedules(user_pk: int, today: date):
    mature = Q(repetitions__gte=2, interval_days__gte=progress.MATURE_DAYS)
    return (
        _schedules(user_pk)
        .values("question__topics")
        .annotate(started=Count("id"), mature=Count("id", filter=mature))
        .order_by()
    )


def topic_mastery(user: object) -> list[TopicMastery]:
    """Per topic the learner studies: its active questions, how many of them
    the learner started, and how many are mature (two queries)."""
    topics = compiled.fetch("topics", _topics, user_pk=user.pk)
    rows = {
        row["question__topics"]: row
        for row in compiled.fetch("topic_states", _topic_schedules, user_pk=user.pk)
    }
    out = []
    for pk, slug, name, n in topics:
        row = rows.get(pk, {})
        out.append(
            TopicMastery(slug, name, n, row.get("started", 0), row.get("mature", 0))
        )
    return out


def _as_date(value: date | str) -> date:
    # SQLite hands back MAX() of dates as text.
    return value if isinstance(value, date) else date.fromisoformat(value)


@dataclass(frozen=True)
class MissedPoint:
    statement: str
    question: str
    missed: int
    checked: int  # the learner's checked answers to its question


def missed_key_points(user: object, *, limit: int = 5) -> list[MissedPoint]:
    """The key points the learner's typed answers miss most, across questions.

    One query for the learner's checked answers, a second only when they
    missed something."""
    rows = ReviewLog.objects.filter(user=user, suggested_grade__isnull=False)
    checked: Counter = Counter()
    missed: Counter = Counter()
    for question_id, ids in rows.values_list("question_id", "missed_points"):
        checked[question_id] += 1
        missed.update(set(ids or ()))
    if not missed:
        return []
    points = KeyPoint.objects.filter(pk__in=list(missed)).select_related("question")
    found = [
        MissedPoint(p.statement, str(p.question), missed[p.pk], checked[p.question_id])
        for p in points
        if not p.is_misconception
    ]
    found.sort(key=lambda m: (-m.missed / m.checked, -m.missed, m.statement))
    return found[:limit]


def calibration_counts(user: object) -> list[tuple[int, str, int, int]]:
    """(confidence, level name, answers, graded Good or better) of the learner's
    rated answers: one query, at most 3 x 3 rows."""
    names = dict(Level.choices)
    rows = (
        ReviewLog.objects.filter(user=user, confidence__isnull=False)
        .values_list("confidence", "question__level")
        .annotate(n=Count("id"), good=Count("id", filter=Q(grade__gte=4)))
        .order_by()
    )
    return [(c, names[level], n, good) for c, level, n, good in rows]


def calibration_topic_counts(user: object) -> list[tuple[int, str, int, int]]:
    """(confidence, topic name, answers, graded Good or better): one query, at
    most 3 rows per topic (an answer to a question of two topics counts in both)."""
    rows = (
        ReviewLog.objects.filter(
            user=user, confidence__isnull=False, question__topics__isnull=False
        )
        .values_list("confidence", "question__topics__name")
        .annotate(n=Count("id"), good=Count("id", filter=Q(grade__gte=4)))
        .order_by()
    )
    return list(rows)


def mock_scores(user: object, *, limit: int = 50) -> list[tuple[object, float | None]]:
    """(start, mean key-point score) of the learner's last finished mocks, oldest
    first: one query, at most `limit` rows."""
    rows = (
        MockInterview.objects.filter(user=user, finished_at__isnull=False)
        .annotate(score=Avg("answers__score"))
        .order_by("-started_at")
        .values_list("started_at", "score")[:limit]
    )
    return list(reversed(rows))

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

from django.db.models import (
    Avg,
    BooleanField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
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
    rows = {}
    for row in compiled.fetch(
        "level_states",
        _schedules_by_level,
        user_pk=user.pk,
        today=today,
        offsets=(0,),
    ):
        ease = row.pop("ease", None)
        row["ease"] = None if ease is None else _decimal(ease)
        rows[row.pop("question__level")] = row
    return _levels(user, rows)


def _levels(user: object, states: dict) -> tuple[progress.LevelCards, ...]:
    """LevelCards per level from the states per level (`ease` a Decimal)."""
    questions = dict(compiled.fetch("levels", _questions_by_level, user_pk=user.pk))
    return tuple(
        progress.LevelCards(
            level=level.value,
            name=level.label,
            questions=questions.get(level.value, 0),
            **states.get(level.value, {"ease": None}),
        )
        for level in Level
    )


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


# The deck's four figures in one statement: the cards read once in a WITH clause,
# aggregated four ways (each read alone scanned the deck again; issue 12).
_DECK_COLUMNS = (
    "question_id",
    "lvl",
    "repetitions",
    "interval_days",
    "ease",
    "scheduler",
    "lapses",
    "redrilling",
    "redrill_later",
    "overdue",
    "coming",
    "day",
)


def _deck(user_pk: int, today: date):
    """A row per card with what the figures read (the day's tests made here)."""
    redrilling = Q(redrill_on=today, redrill_on__isnull=False)
    forecast_end = today + timedelta(days=progress.FORECAST_DAYS - 1)

    def flag(q: Q) -> ExpressionWrapper:
        return ExpressionWrapper(q, output_field=BooleanField())

    return (
        _schedules(user_pk)
        .annotate(
            lvl=F("question__level"),
            redrilling=flag(redrilling),
            # Re-drill cards answered today are due again later; count them once.
            redrill_later=flag(redrilling & Q(due_on__gt=today)),
            overdue=flag(Q(due_on__lt=today)),
            # Suspended cards are not coming (issue 16).
            coming=flag(
                care_reads.not_suspended(user_pk) & Q(due_on__lte=forecast_end)
            ),
            day=Greatest("due_on", Value(today, output_field=DateField())),
        )
        .values_list(*_DECK_COLUMNS)
        .order_by()
    )


def _deck_aggregates(deck_sql: str) -> str:
    m = int(progress.MATURE_DAYS)
    settled = "NOT redrilling AND repetitions >= 2"
    columns = ", ".join(_DECK_COLUMNS)
    return f"""WITH deck ({columns}) AS ({deck_sql})
SELECT 'level', lvl, CAST(NULL AS DECIMAL), CAST(NULL AS DATE),
       COUNT(*) FILTER (WHERE repetitions < 2 OR redrilling),
       COUNT(*) FILTER (WHERE {settled} AND interval_days < {m}),
       COUNT(*) FILTER (WHERE {settled} AND interval_days >= {m}),
       COALESCE(SUM(lapses), 0),
       COUNT(*) FILTER (WHERE overdue),
       COUNT(*) FILTER (WHERE redrill_later),
       AVG(ease) FILTER (WHERE scheduler = 'sm2')
  FROM deck GROUP BY lvl
UNION ALL
SELECT 'ease', NULL, ease, NULL, COUNT(*), 0, 0, 0, 0, 0, NULL
  FROM deck WHERE scheduler = 'sm2' GROUP BY ease
UNION ALL
SELECT 'due', NULL, NULL, day, COUNT(*), 0, 0, 0, 0, 0, NULL
  FROM deck WHERE coming GROUP BY day
UNION ALL
SELECT 'topic', qt.topic_id, NULL, NULL, COUNT(*),
       COUNT(*) FILTER (WHERE repetitions >= 2 AND interval_days >= {m}),
       0, 0, 0, 0, NULL
  FROM deck JOIN cards_question_topics qt ON qt.question_id = deck.question_id
 GROUP BY qt.topic_id"""


@dataclass(frozen=True)
class Deck:
    levels: tuple[progress.LevelCards, ...]
    due: dict[date, int]
    eases: tuple[tuple[Decimal, int], ...]
    topic_states: dict[int, dict[str, int]]


_CENTS = Decimal("0.01")


def _decimal(value) -> Decimal:
    # PostgreSQL gives numeric as Decimal, SQLite as float or int.
    return Decimal(str(value)).quantize(_CENTS)


def deck(user: object, *, today: date) -> Deck:
    """Cards per level and state, due per day over the forecast, cards per ease
    and per topic: the four figures of `cards_by_level`, `due_by_day`,
    `ease_counts` and the topic states, in one query (tests/progress/
    test_compiled.py checks it against them)."""
    rows = compiled.fetch_wrapped(
        "deck",
        _deck,
        _deck_aggregates,
        user_pk=user.pk,
        today=today,
        offsets=(0, progress.FORECAST_DAYS - 1),
    )
    states, due, eases, topics = {}, {}, [], {}
    for part, key, ease, day, *counts, average in rows:
        if part == "level":
            learning, young, mature, lapses, overdue, redrilling = counts
            states[key] = {
                "learning": learning,
                "young": young,
                "mature": mature,
                "lapses": lapses,
                "overdue": overdue,
                "redrilling": redrilling,
                "ease": None if average is None else _decimal(average),
            }
        elif part == "ease":
            eases.append((_decimal(ease), counts[0]))
        elif part == "due":
            due[_as_date(day)] = counts[0]
        else:
            topics[key] = {"started": counts[0], "mature": counts[1]}
    return Deck(
        levels=_levels(user, states),
        due=due,
        eases=tuple(sorted(eases)),
        topic_states=topics,
    )


def snapshot(
    user: object, *, today: date, deck_figures: Deck | None = None
) -> progress.Snapshot:
    """Everything the progress page shows but the topics, in three queries."""
    figures = deck_figures or deck(user, today=today)
    return progress.Snapshot(
        today=today,
        days=daily_activity(user),
        levels=figures.levels,
        due=figures.due,
        eases=figures.eases,
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


def topic_mastery(
    user: object, *, states: dict[int, dict[str, int]] | None = None
) -> list[TopicMastery]:
    """Per topic the learner studies: its active questions, how many of them
    the learner started, and how many are mature (two queries, or one with
    `states` from `deck`)."""
    topics = compiled.fetch("topics", _topics, user_pk=user.pk)
    if states is None:
        states = {
            row["question__topics"]: row
            for row in compiled.fetch("topic_states", _topic_schedules, user_pk=user.pk)
        }
    rows = states
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

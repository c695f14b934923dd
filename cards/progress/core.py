"""Constants, the input rows that cards.progress.queries fills, formatting and headline figures."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

RANGES = {30: "30 days", 90: "90 days", 365: "1 year"}  # the switch's labels
PERIODS = {30: "the last 30 days", 90: "the last 90 days", 365: "the last year"}
DEFAULT_RANGE = 30
FORECAST_DAYS = 30
RETENTION_DAYS = 30
HEATMAP_WEEKS = 53
MATURE_DAYS = 21  # Anki's threshold between young and mature cards
EASE_BUCKETS = tuple(Decimal("1.3") + Decimal("0.2") * i for i in range(10))

GRADE_GROUPS = (
    ("again", "Again (0–2)"),
    ("hard", "Hard (3)"),
    ("good", "Good (4)"),
    ("easy", "Easy (5)"),
)
STATES = (
    ("new", "New"),
    ("learning", "Learning"),
    ("young", "Young"),
    ("mature", "Mature"),
)


# Input rows, filled from the database by cards.progress.queries --------------------------


@dataclass(frozen=True)
class DayActivity:
    """Every answer of one study day, summed."""

    day: date
    reviews: int = 0
    new: int = 0
    again: int = 0
    hard: int = 0
    good: int = 0
    easy: int = 0
    scheduled: int = 0  # answers of kind "review": the retention denominator
    passed: int = 0  # of those, graded 3 or higher
    ms: int = 0


@dataclass(frozen=True)
class LevelCards:
    """One level's active questions by the learner's state of them."""

    level: int
    name: str
    questions: int
    learning: int = 0
    young: int = 0
    mature: int = 0
    ease: Decimal | None = None  # average over started cards
    lapses: int = 0
    overdue: int = 0
    redrilling: int = 0  # re-drilled today and not yet answered 4 or 5

    @property
    def started(self) -> int:
        return self.learning + self.young + self.mature

    @property
    def new(self) -> int:
        return max(0, self.questions - self.started)


@dataclass(frozen=True)
class Snapshot:
    today: date
    days: tuple[DayActivity, ...]  # study days with answers, oldest first
    levels: tuple[LevelCards, ...]
    due: dict[date, int]  # active cards by due day, overdue counted on today
    eases: tuple[tuple[Decimal, int], ...] = ()  # (ease, cards) of started cards


# Small helpers ---------------------------------------------------------------


# Labels depend on the date alone (nothing of a learner's), and a 365-day page
# asks for about 2,000 of them: strftime is worth caching across requests.
@lru_cache(maxsize=4096)
def day_label(day: date, *, year: bool = False) -> str:
    text = f"{day:%a} {day.day} {day:%b}"
    return f"{text} {day.year}" if year else text


@lru_cache(maxsize=1024)
def short_label(day: date) -> str:
    return f"{day.day} {day:%b}"


def format_duration(ms: int) -> str:
    """'45 s', '12 min', '1 h 05 min'."""
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def streaks(days: Iterable[date], *, today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive study days with answers.

    The current streak still counts when today has no answers yet but
    yesterday had: the day is not over.
    """
    studied = set(days)
    longest = run = 0
    previous = None
    for day in sorted(studied):
        run = run + 1 if previous == day - timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    end = today if today in studied else today - timedelta(days=1)
    current = 0
    while end - timedelta(days=current) in studied:
        current += 1
    return current, longest


def tick_every(n: int, *, most: int = 5, multiple: int = 1) -> int:
    step = math.ceil(n / most)
    return max(multiple, math.ceil(step / multiple) * multiple)


def window(
    days: Sequence[DayActivity], start: date, end: date
) -> dict[date, DayActivity]:
    return {d.day: d for d in days if start <= d.day <= end}


# Headline figures -------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    due_today: int
    overdue: int
    redrilling: int
    due_tomorrow: int
    reviewed_today: int
    new_today: int
    streak: int
    longest_streak: int
    studied_today: bool
    total_reviews: int
    study_days: int
    retention_passed: int
    retention_scheduled: int
    ms_today: int
    ms_week: int

    @property
    def retention(self) -> str:
        return percent(self.retention_passed, self.retention_scheduled)

    @property
    def total_reviews_text(self) -> str:
        return f"{self.total_reviews:,}"

    @property
    def time_today(self) -> str:
        return format_duration(self.ms_today)

    @property
    def time_week(self) -> str:
        return format_duration(self.ms_week)


def figures(snap: Snapshot) -> Figures:
    today = snap.today
    by_day = {d.day: d for d in snap.days}
    zero = DayActivity(today)
    current, longest = streaks(by_day, today=today)
    recent = window(snap.days, today - timedelta(days=RETENTION_DAYS - 1), today)
    week = window(snap.days, today - timedelta(days=6), today)
    redrilling = sum(level.redrilling for level in snap.levels)
    return Figures(
        due_today=snap.due.get(today, 0) + redrilling,
        overdue=sum(level.overdue for level in snap.levels),
        redrilling=redrilling,
        due_tomorrow=snap.due.get(today + timedelta(days=1), 0),
        reviewed_today=by_day.get(today, zero).reviews,
        new_today=by_day.get(today, zero).new,
        streak=current,
        longest_streak=longest,
        studied_today=today in by_day,
        total_reviews=sum(d.reviews for d in snap.days),
        study_days=len(snap.days),
        retention_passed=sum(d.passed for d in recent.values()),
        retention_scheduled=sum(d.scheduled for d in recent.values()),
        ms_today=by_day.get(today, zero).ms,
        ms_week=sum(d.ms for d in week.values()),
    )

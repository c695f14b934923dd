"""PURE: what a mock interview asks, for how long, and how it went.

No Django, no clock: moments and random seeds are passed in.

- The default mix is weighted towards what the learner is least likely to
  recall today: a question's weight is 1 - recall probability (a question
  never answered has recall 0), with a floor so that a well-known question can
  still come up. Sampling without replacement by Efraimidis-Spirakis keys
  (u ** (1 / weight)), seeded, so a mock is reproducible in tests.
- Each question has a time limit by level; an answer handed in later than
  the deadline plus GRACE is kept and marked late.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_COUNT = 6
MAX_COUNT = 12
TIME_LIMITS = {
    1: 90,
    2: 150,
    3: 240,
}  # seconds, by level (Basic, Intermediate, Advanced)
MIN_LIMIT, MAX_LIMIT = 30, 900
GRACE = timedelta(seconds=5)
WEIGHT_FLOOR = 0.05
GOOD_SCORE = 0.9  # the checker's score for Good (cards/review/check.GRADE_STEPS)


@dataclass(frozen=True)
class Candidate:
    id: int
    level: int
    recall: float  # predicted recall today, 0 for a question never answered
    topics: tuple[str, ...] = ()


def weight(candidate: Candidate) -> float:
    return max(WEIGHT_FLOOR, 1.0 - min(max(candidate.recall, 0.0), 1.0))


def pick(candidates: Sequence[Candidate], *, count: int, seed: int) -> list[Candidate]:
    """`count` candidates (or all there are), the least known most likely,
    easiest level first."""
    rng = random.Random(seed)
    keyed = sorted(
        candidates,
        key=lambda c: (-(rng.random() ** (1.0 / weight(c))), c.id),
    )
    chosen = keyed[: max(0, count)]
    return sorted(chosen, key=lambda c: (c.level, keyed.index(c)))


def time_limit(level: int, *, override: int | None = None) -> int:
    if override is not None:
        return max(MIN_LIMIT, min(MAX_LIMIT, override))
    return TIME_LIMITS.get(level, TIME_LIMITS[2])


def is_late(*, received: datetime, deadline: datetime) -> bool:
    return received > deadline + GRACE


def seconds_left(*, now: datetime, deadline: datetime) -> int:
    return max(0, int((deadline - now).total_seconds() + 0.999))


def duration_text(ms: int | None) -> str:
    if ms is None:
        return "not answered"
    seconds = round(ms / 1000)
    minutes, seconds = divmod(seconds, 60)
    if not minutes:
        return f"{seconds} s"
    return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"


def percent(scores: Iterable[float | None]) -> int | None:
    """The mean score in percent; an answer not handed in counts as 0."""
    values = [s or 0.0 for s in scores]
    return round(100 * sum(values) / len(values)) if values else None


@dataclass(frozen=True)
class Group:
    name: str
    percent: int
    answers: int


def weakest(
    scored: Iterable[tuple[Iterable[str], float | None]], *, most: int = 3
) -> list[Group]:
    """The groups (topics or levels) with the lowest mean score, weakest first;
    only groups below a Good answer's score."""
    by_name: dict[str, list[float]] = {}
    for names, score in scored:
        for name in names:
            by_name.setdefault(name, []).append(score or 0.0)
    groups = [
        Group(name, round(100 * sum(v) / len(v)), len(v)) for name, v in by_name.items()
    ]
    groups = [g for g in groups if g.percent < round(100 * GOOD_SCORE)]
    groups.sort(key=lambda g: (g.percent, -g.answers, g.name))
    return groups[:most]

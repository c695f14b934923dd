"""Schedulers: pure maths over study days, standard library (and `fsrs`) only.

`base` is the Scheduler protocol, `sm2` and `fsrs` implement it, `days` turns
moments into study days. A stored state names its scheduler; `get(name)`
returns it, `configured(name, ...)` the one a learner's settings ask for.
"""

from __future__ import annotations

from cards.scheduling import fsrs
from cards.scheduling.base import (
    GRADES,
    MAX_INTERVAL_DAYS,
    PASSING_GRADE,
    Scheduler,
    validate_grade,
)
from cards.scheduling.sm2 import SM2

__all__ = [
    "DEFAULT",
    "GRADES",
    "MAX_INTERVAL_DAYS",
    "PASSING_GRADE",
    "SCHEDULERS",
    "Scheduler",
    "configured",
    "get",
    "validate_grade",
]

SCHEDULERS: dict[str, Scheduler] = {SM2.name: SM2(), fsrs.FSRS.name: fsrs.configured()}
# The scheduler of a card answered for the first time.
DEFAULT = SM2.name


def get(name: str) -> Scheduler:
    """The scheduler a stored state names; ValueError for an unknown name."""
    try:
        return SCHEDULERS[name]
    except KeyError:
        raise ValueError(f"unknown scheduler {name!r}") from None


def configured(name: str, *, desired_retention: float | None = None) -> Scheduler:
    """The scheduler `name` as a learner uses it (FSRS at their desired
    retention; SM-2 has no options). ValueError for an unknown name."""
    scheduler = get(name)
    if name == fsrs.FSRS.name and desired_retention is not None:
        return fsrs.configured(float(desired_retention))
    return scheduler

"""Schedulers: pure maths over study days, standard library only.

`base` is the Scheduler protocol, `sm2` implements it, `days` turns moments
into study days. A stored state names its scheduler; `get(name)` returns it.
"""

from __future__ import annotations

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
    "get",
    "validate_grade",
]

SCHEDULERS: dict[str, Scheduler] = {SM2.name: SM2()}
# The scheduler of a card answered for the first time.
DEFAULT = SM2.name


def get(name: str) -> Scheduler:
    """The scheduler a stored state names; ValueError for an unknown name."""
    try:
        return SCHEDULERS[name]
    except KeyError:
        raise ValueError(f"unknown scheduler {name!r}") from None

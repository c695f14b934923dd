"""SM-2 (Wozniak 1990) with exact decimal ease: the `sm2` Scheduler.

Pure functions and a frozen state, standard library only. `SM2` below is the
Scheduler protocol of cards/scheduling/base.py over them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from cards.scheduling.base import (
    GRADES,
    MAX_INTERVAL_DAYS,
    PASSING_GRADE,
    add_days,
    forgetting_curve,
    validate_cap,
    validate_grade,
)

__all__ = [
    "DEFAULT_EASE",
    "GRADES",
    "MAX_INTERVAL_DAYS",
    "MIN_EASE",
    "PASSING_GRADE",
    "REDRILL_BELOW",
    "SM2",
    "CardState",
    "Ease",
    "ease_after",
    "needs_redrill",
    "next_state",
    "validate_grade",
]

MIN_EASE = Decimal("1.30")
DEFAULT_EASE = Decimal("2.50")
# MAX_INTERVAL_DAYS (base) is Anki's default maximum interval. Uncapped SM-2
# passes year 9999 after about fourteen perfect answers in a row.
# SM-2 step 7: answers below this come back in the same session.
REDRILL_BELOW = 4

_CENT = Decimal("0.01")


class Ease(Decimal):
    """An exact two-decimal ease that also compares equal to the float literal.

    Ease is kept in exact hundredths so that 1.3 + 0.1 + 0.1 is 1.5 (and 6 x 1.5
    is 9 days, not 10); comparing with a float such as 2.6 compares with the
    decimal that the float literal spells.
    """

    __slots__ = ()

    def __new__(cls, value: object = DEFAULT_EASE) -> Ease:
        if isinstance(value, float):
            value = repr(value)
        return super().__new__(cls, Decimal(value).quantize(_CENT, ROUND_HALF_UP))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, float):
            return Decimal.__eq__(self, Decimal(repr(other)))
        return Decimal.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = Decimal.__hash__

    def __repr__(self) -> str:
        return f"Ease('{self}')"


@dataclass(frozen=True)
class CardState:
    repetitions: int = 0
    interval_days: int = 0
    ease: Decimal = field(default=DEFAULT_EASE)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ease", Ease(self.ease))


def ease_after(ease: Decimal, grade: int) -> Ease:
    """SM-2's EF' = EF + (0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)), floored at 1.3."""
    miss = 5 - grade
    new = Decimal(ease) + (
        Decimal("0.1") - miss * (Decimal("0.08") + miss * _TWO_CENTS)
    )
    return Ease(max(new, MIN_EASE))


_TWO_CENTS = Decimal("0.02")


def next_state(
    state: CardState, *, grade: int, max_interval_days: int | None = None
) -> CardState:
    """Apply one answer with quality `grade` (0..5) to `state`, as in SM-2.

    Wozniak, "Application of a computer to improve the results obtained in
    working with the SuperMemo method" (1990), steps 2-6: I(1)=1, I(2)=6,
    I(n)=I(n-1)*EF rounded (half up, with EF from before this answer); a grade
    below 3 restarts repetitions without changing the formula for EF.
    """
    validate_grade(grade)
    if grade >= PASSING_GRADE:
        if state.repetitions == 0:
            interval = 1
        elif state.repetitions == 1:
            interval = 6
        else:
            product = Decimal(state.interval_days) * state.ease
            interval = max(1, int(product.quantize(Decimal(1), ROUND_HALF_UP)))
        repetitions = state.repetitions + 1
    else:
        interval = 1
        repetitions = 0
    if max_interval_days is not None:
        interval = min(interval, max_interval_days)
    return CardState(
        repetitions=repetitions,
        interval_days=interval,
        ease=ease_after(state.ease, grade),
    )


def needs_redrill(grade: int) -> bool:
    return grade < REDRILL_BELOW


_EASE_TEXT = re.compile(r"^[0-9]{1,6}\.[0-9]{2}$")
_STATE_KEYS = {"ease", "interval_days", "repetitions"}


def _whole(data: Mapping[str, Any], key: str, high: int) -> int:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise ValueError(f"{key} must be a whole number from 0 to {high}")
    return value


class SM2:
    """SM-2 behind the Scheduler protocol. `elapsed_days` does not enter SM-2."""

    name: ClassVar[str] = "sm2"

    def initial_state(self) -> CardState:
        return CardState()

    def next_state(
        self, state: CardState, grade: int, *, elapsed_days: int
    ) -> CardState:
        return next_state(state, grade=grade, max_interval_days=MAX_INTERVAL_DAYS)

    def interval_days(self, state: CardState) -> int:
        return state.interval_days

    def intervals(self, state: CardState, *, elapsed_days: int) -> dict[int, int]:
        return {
            grade: self.next_state(
                state, grade, elapsed_days=elapsed_days
            ).interval_days
            for grade in GRADES
        }

    def due_on(
        self, state: CardState, reviewed_on: date, *, cap: int | None = None
    ) -> date:
        days = state.interval_days
        if validate_cap(cap) is not None:
            days = min(days, cap)
        return add_days(reviewed_on, days)

    def recall_probability(
        self, state: CardState, on: date, *, reviewed_on: date
    ) -> float:
        """FSRS-6's forgetting curve with stability = the SM-2 interval.

        fsrs-rs `FSRS::memory_state_from_sm2(ease, interval, sm2_retention)`,
        which Anki uses for cards without a usable review history
        (rslib/src/scheduler/fsrs/memory_state.rs, historical retention 0.9 by
        default), sets the stability so that recall after `interval` days is
        `sm2_retention`; at 0.9 that is the interval itself.
        """
        elapsed = (on - reviewed_on).days
        if elapsed < 0:
            raise ValueError("`on` must not be before `reviewed_on`")
        return forgetting_curve(elapsed, state.interval_days)

    def needs_redrill(self, grade: int) -> bool:
        return needs_redrill(grade)

    def later_today_after(self, state: CardState) -> bool:
        return False

    def is_learned(self, state: CardState) -> bool:
        return state.repetitions > 0

    def is_lapse(self, state: CardState, grade: int) -> bool:
        return self.is_learned(state) and grade < PASSING_GRADE

    def dumps(self, state: CardState) -> dict[str, Any]:
        # Ease as text: its exact hundredths survive JSON.
        return {
            "ease": str(state.ease),
            "interval_days": state.interval_days,
            "repetitions": state.repetitions,
        }

    def loads(self, data: Mapping[str, Any]) -> CardState:
        if not isinstance(data, Mapping) or set(data) != _STATE_KEYS:
            raise ValueError(
                f"an SM-2 state has exactly {', '.join(sorted(_STATE_KEYS))}"
            )
        ease = data["ease"]
        if not isinstance(ease, str) or not _EASE_TEXT.match(ease):
            raise ValueError("ease must be a decimal such as 2.50")
        if Decimal(ease) < MIN_EASE:
            raise ValueError(f"ease must be at least {MIN_EASE}")
        return CardState(
            repetitions=_whole(data, "repetitions", 2**63 - 1),
            interval_days=_whole(data, "interval_days", MAX_INTERVAL_DAYS),
            ease=Decimal(ease),
        )

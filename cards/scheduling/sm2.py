"""SM-2 maths and study-day arithmetic: pure functions, standard library only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal

MIN_EASE = Decimal("1.30")
DEFAULT_EASE = Decimal("2.50")
# Anki's default maximum interval. Uncapped SM-2 passes year 9999 after about
# fourteen perfect answers in a row.
MAX_INTERVAL_DAYS = 36_500
GRADES = range(0, 6)
# SM-2 step 7: answers below this come back in the same session.
REDRILL_BELOW = 4
PASSING_GRADE = 3

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


def validate_grade(grade: object) -> int:
    """Return `grade` if it is an int in 0..5, else raise ValueError."""
    if isinstance(grade, bool) or not isinstance(grade, int) or grade not in GRADES:
        raise ValueError(f"grade must be an integer from 0 to 5, not {grade!r}")
    return grade


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


def study_day(moment: datetime, *, tz: tzinfo, rollover_hour: int) -> date:
    """The learner's study day at `moment`: local wall time minus the rollover.

    With the default rollover of 4, 03:59 local still belongs to yesterday.
    Wall-clock subtraction keeps this monotonic across DST changes.
    """
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    local = moment.astimezone(tz)
    return (local.replace(tzinfo=None) - timedelta(hours=rollover_hour)).date()


def due_date(state: CardState, *, reviewed_on: date) -> date:
    return reviewed_on + timedelta(days=state.interval_days)


def describe_interval(days: int) -> tuple[str, str]:
    """Short and spoken forms of an interval: ("3.5 mo", "3.5 months")."""
    if days < 1:
        return "today", "later today"
    if days < 30:
        unit, value = "d", days
    elif days < 365:
        unit, value = "mo", days / 30.4375
    else:
        unit, value = "y", days / 365.25
    shown = f"{value:.1f}".rstrip("0").rstrip(".") if unit != "d" else str(value)
    words = {"d": "day", "mo": "month", "y": "year"}[unit]
    spoken = f"{shown} {words}" + ("" if shown == "1" else "s")
    return f"{shown} {unit}", spoken

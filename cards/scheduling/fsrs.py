"""FSRS-6 through py-fsrs (the `fsrs` package): the `fsrs` Scheduler.

Pure: the standard library and `fsrs`, no Django. None of FSRS's maths is
written here: every answer is py-fsrs's own `Scheduler.review_card`, fed a card
rebuilt from the stored state at a fixed anchor moment, so that the study days
elapsed since the last answer are py-fsrs's `days_since_last_review`.

- Grades: the app's 0..5 map to FSRS ratings as RATING_OF_GRADE says (the four
  buttons send 1, 3, 4, 5: Again, Hard, Good, Easy = ratings 1, 2, 3, 4).
- Same-day learning and relearning steps (py-fsrs: 1 and 10 minutes, 10 minutes)
  are "later today": a state in a step has interval 0, `later_today_after` is
  True, and the answer rule brings the card back later the same study day (the
  queue waits 10 minutes, as for SM-2's re-drills). If it is not answered again
  that day it is due the next day.
- Fuzz is off, so the interval a button shows is the interval grading gives.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any, ClassVar

import fsrs as pyfsrs

from cards.scheduling.base import (
    GRADES,
    MAX_INTERVAL_DAYS,
    PASSING_GRADE,
    add_days,
    validate_cap,
    validate_grade,
)

__all__ = [
    "DEFAULT_PARAMETERS",
    "DEFAULT_RETENTION",
    "FSRS",
    "MAX_RETENTION",
    "MIN_RETENTION",
    "RATING_OF_GRADE",
    "FSRSState",
    "configured",
]

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(pyfsrs.scheduler.DEFAULT_PARAMETERS)
DEFAULT_RETENTION = 0.90
MIN_RETENTION = 0.70
MAX_RETENTION = 0.97

# SM-2's six grades onto FSRS's four ratings: every failure (0-2) is Again.
RATING_OF_GRADE = {
    0: pyfsrs.Rating.Again,
    1: pyfsrs.Rating.Again,
    2: pyfsrs.Rating.Again,
    3: pyfsrs.Rating.Hard,
    4: pyfsrs.Rating.Good,
    5: pyfsrs.Rating.Easy,
}
assert all(
    (grade < PASSING_GRADE) == (rating is pyfsrs.Rating.Again)
    for grade, rating in RATING_OF_GRADE.items()
)

PHASES = {
    "learning": pyfsrs.State.Learning,
    "review": pyfsrs.State.Review,
    "relearning": pyfsrs.State.Relearning,
}
_PHASE_NAMES = {state: name for name, state in PHASES.items()}
# Any fixed UTC moment: only differences from it reach py-fsrs.
ANCHOR = datetime(2000, 1, 1, 12, tzinfo=UTC)
_KEYS = {"difficulty", "interval_days", "phase", "stability", "step"}


@dataclass(frozen=True)
class FSRSState:
    """A card's FSRS memory state and the interval it was last given.

    `phase` is py-fsrs's Learning/Review/Relearning; `step` the learning or
    relearning step (None in review); stability and difficulty are None only
    before the first answer. `interval_days` is 0 while in a same-day step.
    """

    phase: str = "learning"
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    interval_days: int = 0


def validate_retention(value: object) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not MIN_RETENTION <= value <= MAX_RETENTION
    ):
        raise ValueError(
            f"desired retention must be from {MIN_RETENTION} to {MAX_RETENTION}"
        )
    return float(value)


class FSRS:
    """FSRS-6 behind the Scheduler protocol, at one desired retention."""

    name: ClassVar[str] = "fsrs"

    def __init__(
        self,
        *,
        desired_retention: float = DEFAULT_RETENTION,
        parameters: Sequence[float] = DEFAULT_PARAMETERS,
    ) -> None:
        self.desired_retention = validate_retention(desired_retention)
        self.parameters = tuple(parameters)
        self.engine = pyfsrs.Scheduler(
            parameters=self.parameters,
            desired_retention=self.desired_retention,
            maximum_interval=MAX_INTERVAL_DAYS,
            enable_fuzzing=False,
        )

    def __repr__(self) -> str:
        return f"FSRS(desired_retention={self.desired_retention})"

    # py-fsrs cards at the anchor -----------------------------------------

    def card(self, state: FSRSState) -> pyfsrs.Card:
        """`state` as a py-fsrs card last reviewed at ANCHOR."""
        return pyfsrs.Card(
            card_id=1,
            state=PHASES[state.phase],
            step=state.step,
            stability=state.stability,
            difficulty=state.difficulty,
            due=ANCHOR,
            last_review=None if state.stability is None else ANCHOR,
        )

    def from_card(self, card: pyfsrs.Card, *, reviewed_at: datetime) -> FSRSState:
        interval = 0
        if card.state is pyfsrs.State.Review:
            interval = round((card.due - reviewed_at) / timedelta(days=1))
        return FSRSState(
            phase=_PHASE_NAMES[card.state],
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            interval_days=interval,
        )

    # The protocol ----------------------------------------------------------

    def initial_state(self) -> FSRSState:
        return FSRSState()

    def next_state(
        self, state: FSRSState, grade: int, *, elapsed_days: int
    ) -> FSRSState:
        rating = RATING_OF_GRADE[validate_grade(grade)]
        at = ANCHOR + timedelta(days=max(0, elapsed_days))
        card, _ = self.engine.review_card(self.card(state), rating, review_datetime=at)
        return self.from_card(card, reviewed_at=at)

    def interval_days(self, state: FSRSState) -> int:
        return state.interval_days

    def intervals(self, state: FSRSState, *, elapsed_days: int) -> dict[int, int]:
        return {
            grade: self.next_state(
                state, grade, elapsed_days=elapsed_days
            ).interval_days
            for grade in GRADES
        }

    def due_on(
        self, state: FSRSState, reviewed_on: date, *, cap: int | None = None
    ) -> date:
        # A card in a same-day step not answered again today is due tomorrow.
        days = max(1, state.interval_days)
        if validate_cap(cap) is not None:
            days = min(days, cap)
        return add_days(reviewed_on, days)

    def recall_probability(
        self, state: FSRSState, on: date, *, reviewed_on: date
    ) -> float:
        elapsed = (on - reviewed_on).days
        if elapsed < 0:
            raise ValueError("`on` must not be before `reviewed_on`")
        if state.stability is None:
            return 0.0
        at = ANCHOR + timedelta(days=elapsed)
        return float(self.engine.get_card_retrievability(self.card(state), at))

    def needs_redrill(self, grade: int) -> bool:
        # FSRS's own steps bring a card back (later_today_after), not the grade.
        return False

    def later_today_after(self, state: FSRSState) -> bool:
        return state.phase != "review" and state.stability is not None

    def is_learned(self, state: FSRSState) -> bool:
        return state.phase != "learning"

    def is_lapse(self, state: FSRSState, grade: int) -> bool:
        # As py-fsrs and Anki count lapses: Again on a card in review.
        return state.phase == "review" and RATING_OF_GRADE[grade] is pyfsrs.Rating.Again

    def dumps(self, state: FSRSState) -> dict[str, Any]:
        return {
            "difficulty": state.difficulty,
            "interval_days": state.interval_days,
            "phase": state.phase,
            "stability": state.stability,
            "step": state.step,
        }

    def loads(self, data: Mapping[str, Any]) -> FSRSState:
        if not isinstance(data, Mapping) or set(data) != _KEYS:
            raise ValueError(f"an FSRS state has exactly {', '.join(sorted(_KEYS))}")
        phase, step = data["phase"], data["step"]
        if phase not in PHASES:
            raise ValueError(f"phase must be one of {', '.join(PHASES)}")
        if phase == "review" and step is not None:
            raise ValueError("a card in review has no step")
        if phase != "review" and (
            isinstance(step, bool) or not isinstance(step, int) or not 0 <= step < 100
        ):
            raise ValueError("step must be a whole number from 0 to 99")
        stability, difficulty = data["stability"], data["difficulty"]
        if (stability is None) != (difficulty is None):
            raise ValueError("stability and difficulty are both set or both empty")
        if stability is None and (phase != "learning" or step != 0):
            raise ValueError("only a new card has no stability")
        if stability is not None:
            _number(stability, "stability", 0.0, 1e9, low_open=True)
            _number(difficulty, "difficulty", 1.0, 10.0)
        interval = data["interval_days"]
        if (
            isinstance(interval, bool)
            or not isinstance(interval, int)
            or not 0 <= interval <= MAX_INTERVAL_DAYS
            or (phase == "review") != (interval >= 1)
        ):
            raise ValueError("interval_days must be 1 to 36500 in review, else 0")
        return FSRSState(
            phase=phase,
            step=step,
            stability=None if stability is None else float(stability),
            difficulty=None if difficulty is None else float(difficulty),
            interval_days=interval,
        )


def _number(value: object, name: str, low: float, high: float, *, low_open=False):
    ok = (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and (low < value if low_open else low <= value)
        and value <= high
    )
    if not ok:
        raise ValueError(f"{name} must be a number from {low} to {high}")


@cache
def configured(desired_retention: float = DEFAULT_RETENTION) -> FSRS:
    """The FSRS scheduler at `desired_retention` (one instance per value)."""
    return FSRS(desired_retention=desired_retention)

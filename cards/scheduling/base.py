"""The Scheduler protocol: what every scheduler (SM-2, FSRS) provides.

Pure and standard-library only (a scheduler implementation may also import its
own maths package, e.g. `fsrs`). Dates are *study days* (`datetime.date`),
computed by the caller from the learner's time zone and rollover hour; nothing
here reads a clock.

A state is an immutable value object owned by its scheduler. It is stored in
ReviewSchedule.state (JSON, via `dumps`/`loads`) with the scheduler's `name`
beside it; the review log keeps the state before and after every answer in the
same form, so undo restores it whole and a new scheduler needs no new columns.

What an answer does with these (new card, due review, same-day re-drill,
answers off the schedule) is decided once, in cards/review/answer.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, ClassVar, Protocol, TypeVar

# Grades are SM-2's 0..5 everywhere in the app (the four buttons send 1, 3, 4, 5:
# Again, Hard, Good, Easy). A scheduler maps them to its own scale.
GRADES = range(0, 6)
PASSING_GRADE = 3  # below this an answer is a failure (a lapse if the card was known)
MAX_INTERVAL_DAYS = 36_500  # Anki's default maximum

S = TypeVar("S")


class Scheduler(Protocol[S]):
    name: ClassVar[str]  # "sm2", "fsrs": stored beside every serialised state

    def initial_state(self) -> S:
        """The state of a card never answered."""

    def next_state(self, state: S, grade: int, *, elapsed_days: int) -> S:
        """The state after one answer `elapsed_days` study days after the last one
        (0 for a new card or a same-day answer). Pure and deterministic."""

    def interval_days(self, state: S) -> int:
        """The interval this state schedules: >= 1 and <= MAX_INTERVAL_DAYS for
        every state next_state returns, except 0 for a state in a same-day
        step (`later_today_after`); an initial state may say 0."""

    def intervals(self, state: S, *, elapsed_days: int) -> Mapping[int, int]:
        """For each grade in GRADES, the interval an answer with it leads to:
        exactly `interval_days(next_state(state, grade, elapsed_days=...))`.
        (What a due or new card's buttons show; the buttons themselves ask the
        answer rule, which also covers re-drills and answers off the schedule.)"""

    def due_on(self, state: S, reviewed_on: date, *, cap: int | None = None) -> date:
        """The study day a card answered on `reviewed_on` is next due:
        reviewed_on + min(interval_days(state), cap). `cap` (days, >= 1) is how
        the interview-date plan shortens intervals; None means no cap."""

    def recall_probability(self, state: S, on: date, *, reviewed_on: date) -> float:
        """Predicted probability in [0, 1] of recalling the card on study day `on`
        when it was last answered on `reviewed_on` (on >= reviewed_on).
        FSRS: its own forgetting curve. SM-2: FSRS's forgetting curve with the
        stability taken from the SM-2 interval (Anki's SM-2 -> FSRS conversion
        treats the interval as the time to 90% recall)."""

    def needs_redrill(self, grade: int) -> bool:
        """Whether an answer with `grade` brings the card back later the same
        study day (SM-2 step 7: below 4). A scheduler with learning steps of
        its own returns False."""

    def later_today_after(self, state: S) -> bool:
        """Whether a card left in `state` by an answer comes back later the same
        study day by the scheduler's own steps (FSRS's learning and relearning
        steps), whatever the grade was. SM-2 has no steps: False."""

    def is_learned(self, state: S) -> bool:
        """Whether the card had been learned (SM-2: repetitions > 0; FSRS: it
        has left its first learning steps)."""

    def is_lapse(self, state: S, grade: int) -> bool:
        """Whether answering a card in `state` with `grade` is a lapse (SM-2: a
        failure of a learned card; FSRS: Again on a card in review)."""

    def dumps(self, state: S) -> dict[str, Any]:
        """A JSON-serialisable dict (stable key order) of the whole state."""

    def loads(self, data: Mapping[str, Any]) -> S:
        """The inverse of dumps: loads(dumps(s)) == s, exactly. Raises ValueError
        for anything dumps could not have written (imports call it)."""


def validate_grade(grade: object) -> int:
    """Return `grade` if it is an int in GRADES, else raise ValueError."""
    if isinstance(grade, bool) or not isinstance(grade, int) or grade not in GRADES:
        raise ValueError(f"grade must be an integer from 0 to 5, not {grade!r}")
    return grade


def validate_cap(cap: int | None) -> int | None:
    if cap is not None and (
        isinstance(cap, bool) or not isinstance(cap, int) or cap < 1
    ):
        raise ValueError(f"a cap is a whole number of days >= 1, not {cap!r}")
    return cap


# FSRS-6 forgetting curve (py-fsrs, open-spaced-repetition): R(t, S) =
# (1 + FACTOR * t / S) ** DECAY with DECAY = -w20 and FACTOR = 0.9 ** (1 / DECAY) - 1,
# so that R(S, S) = 0.9. With FSRS-6 default w20 = 0.1542.
FSRS6_DECAY = -0.1542


def forgetting_curve(
    elapsed_days: float, stability: float, decay: float = FSRS6_DECAY
) -> float:
    factor = 0.9 ** (1 / decay) - 1
    return (1 + factor * elapsed_days / max(stability, 0.01)) ** decay


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)

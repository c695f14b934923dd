"""The interview-date plan: its phases, the new-card pace, the interval cap, each day.

Pure and standard-library only. The plan speaks to schedulers only through the
Scheduler protocol (cards/scheduling/base.py: `due_on(cap=...)`,
`recall_probability`, `next_state`, `interval_days`), so it works for SM-2 and
for FSRS alike. Dates are study days (cards/scheduling/days.py).

The shape of a run-up of D days before the interview day:

    set_on ......... run-up (new cards paced, intervals capped) ... | final window | day
                                                      window_start ^   W days      ^ on

- Pace: every chosen card is introduced before the final window, so it is
  reviewed at least twice before the day (its next-day review, and once in the
  window). The pace is a straight line from the day the date was set to the
  window's start, never slower than remaining / (days left - W): missed days
  re-plan from the day the learner is back.
- Cap: in the run-up, a chosen card's next review never falls after
  `on - BUFFER_DAYS`; a capped card goes to the least-loaded day of the final
  window, and an uncapped one may come a little early to a lighter day, so no
  day piles up (intervals are only ever shortened).
- Final window: every chosen card whose predicted recall on the day is below
  BRING_BACK_BELOW (above the TARGET_RECALL goal) comes back, lowest first,
  spread evenly over the window, and again while it stays below.
- A date set for today or tomorrow ("cram"): everything once, most at risk
  first. (At the end of a longer run-up, the final window already did that.)
- After the day: no cap, no pace; the schedulers resume from the answers given.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from cards.scheduling.base import Scheduler

TARGET_RECALL = 0.9  # the goal: this share of the chosen questions recalled on the day
# In the final window a card comes back when its predicted recall on the day is
# below this: higher than the goal, because the scheduler's model and the
# learner's memory differ (simulated: by up to 8 points for a learner who
# forgets fast), so the retention aimed at rises as the day approaches.
BRING_BACK_BELOW = 0.95
MAX_WINDOW_DAYS = 14
SHORT_RUNWAY_DAYS = 7  # up to this runway the final window is one day
BUFFER_DAYS = 1  # a capped card is next due on the day before the interview at latest
MIN_MINUTES, MAX_MINUTES = 5, 600
MAX_RUNWAY_DAYS = 730
# An uncapped interval may be shortened by this share to reach a lighter day.
# Simulated (10 questions over 60 days, a mean of 1.2 cards a day, where a day
# of 3 is over the 1.5x limit; 72 learners): at 0.2, 58 runs kept every day
# within it; at 0.3, 62 (and 160 over 60 days at 40 minutes, 72 of 72).
BALANCE_SHARE = 0.3


class PlanError(ValueError):
    """A plan the learner asked for that cannot be made; the message says why."""


class Phase(StrEnum):
    RUN_UP = "run-up"
    FINAL = "final window"
    CRAM = "cram"  # the interview is today or tomorrow
    AFTER = "after"


@dataclass(frozen=True)
class Scope:
    """Which questions the interview is about: empty sets mean all of them.

    Topics do not exist yet: `topics` is carried (and stored) so that the bank
    issue can fill it in; a card without a topic is in every topic scope until
    then, and `includes` is the one place that will change.
    """

    levels: frozenset[int] = frozenset()
    topics: frozenset[str] = frozenset()

    def includes(self, card: Card) -> bool:
        if self.levels and card.level not in self.levels:
            return False
        return not (self.topics and card.topic and card.topic not in self.topics)


@dataclass(frozen=True)
class Card:
    """One question as the plan sees it. `state` None: never answered."""

    id: int
    level: int
    scheduler: Scheduler | None = None
    state: Any = None
    due_on: date | None = None
    reviewed_on: date | None = None  # study day of the last answer
    topic: str | None = None

    @property
    def is_new(self) -> bool:
        return self.state is None

    def recall_on(self, day: date) -> float:
        """Predicted recall on `day` without further study (0 for a new card)."""
        if self.state is None or self.scheduler is None or self.reviewed_on is None:
            return 0.0
        return self.scheduler.recall_probability(
            self.state, max(day, self.reviewed_on), reviewed_on=self.reviewed_on
        )


@dataclass(frozen=True)
class Interview:
    on: date
    set_on: date  # the study day the date was set: the pace starts there
    scope: Scope = field(default_factory=Scope)
    minutes_per_day: int | None = None


def set_interview(
    on: date,
    *,
    today: date,
    levels: Iterable[int] = (),
    known_levels: Iterable[int] = (1, 2, 3),
    topics: Iterable[str] = (),
    minutes_per_day: int | None = None,
) -> Interview:
    """A valid interview plan, or PlanError with a sentence for the learner."""
    if on < today:
        raise PlanError(f"{on:%-d %B %Y} is in the past. Choose today or a later day.")
    if (on - today).days > MAX_RUNWAY_DAYS:
        raise PlanError("Choose a day within the next two years.")
    levels = frozenset(levels)
    unknown = levels - frozenset(known_levels)
    if unknown:
        raise PlanError(f"Unknown level {min(unknown)}.")
    if minutes_per_day is not None and not (
        MIN_MINUTES <= minutes_per_day <= MAX_MINUTES
    ):
        raise PlanError(f"Minutes a day must be from {MIN_MINUTES} to {MAX_MINUTES}.")
    return Interview(
        on=on,
        set_on=today,
        scope=Scope(levels=levels, topics=frozenset(topics)),
        minutes_per_day=minutes_per_day,
    )


def days_left(interview: Interview, today: date) -> int:
    return (interview.on - today).days


def window_days(runway: int) -> int:
    """The final window's length for a runway of `runway` days (0: none).

    A quarter of the runway, rounded up from 8 days: the window brings every
    chosen card back once, so a short one holds a whole bank in few days (10
    questions in 14 days, 3 days: 14 of 120 simulated runs had a window day's
    mean above 1.5x the run-up's; 4 days: 3). Up to 7 days it stays at one
    day: a run-up shortened to 3-5 days left 1-5 of 120 more learners under
    90% (docs/PLAN.md, Known limits).
    """
    if runway <= 1:
        return 0
    if runway <= SHORT_RUNWAY_DAYS:
        return 1
    return min(MAX_WINDOW_DAYS, math.ceil(runway / 4))


def window_start(interview: Interview) -> date:
    runway = max(days_left(interview, interview.set_on), 0)
    return interview.on - timedelta(days=window_days(runway))


def phase(interview: Interview, today: date) -> Phase:
    left = days_left(interview, today)
    if left < 0:
        return Phase.AFTER
    start = window_start(interview)
    if left <= 1 and start >= interview.on:
        # Set for today or tomorrow: no run-up to plan, only everything once.
        return Phase.CRAM
    if today >= start:
        return Phase.FINAL
    return Phase.RUN_UP


def new_quota(
    interview: Interview,
    today: date,
    *,
    remaining: int,
    room: int = 0,
) -> int:
    """New cards to introduce today, `remaining` chosen cards not introduced
    before today.

    Run-up: at least remaining / (days until the final window), rounded down
    (a missed day re-plans from today; as the days run out the share reaches
    a whole card, and the run-up's last day takes what is left, so every card
    is introduced before the window), and up to `room` on a day whose due
    reviews leave room under the run-up's even share of the work left
    (day.room_for_new, in minutes when the learner's answer times are known,
    else in cards): early days, light on reviews, take more new cards, so the
    day stays flat instead of rising as reviews pile up.
    Final window: whatever is left, over the days left. Cram: all of it.
    """
    if remaining <= 0:
        return 0
    now = phase(interview, today)
    if now is Phase.AFTER:
        return 0
    if now is Phase.CRAM:
        return remaining
    if now is Phase.FINAL:
        return math.ceil(remaining / max(1, days_left(interview, today)))
    floor_pace = math.floor(pace_floor(interview, today, remaining=remaining) + 1e-9)
    return min(remaining, max(floor_pace, room))


def pace_floor(interview: Interview, today: date, *, remaining: int) -> float:
    """remaining / (days left - final window): the issue's lower bound on the pace."""
    return remaining / max(1, (window_start(interview) - today).days)


def cap_for(
    interview: Interview,
    today: date,
    *,
    interval: int,
    load: Mapping[date, int] | None = None,
    away: frozenset[date] = frozenset(),
) -> int | None:
    """The cap (days) on a chosen card's next interval answered on `today`, or None.

    Run-up only. A next review after `on - BUFFER_DAYS` is capped into the
    final window, on its least-loaded day (ties: the latest); an uncapped
    one may come up to BALANCE_SHARE of its interval early to a lighter day.
    Days away (a planned break) are avoided. `load` is the number of cards
    already due on each day.
    """
    if phase(interview, today) is not Phase.RUN_UP or interval < 1:
        return None
    load = load or {}
    latest = interview.on - timedelta(days=BUFFER_DAYS)
    natural = today + timedelta(days=interval)
    if natural > latest:
        first = max(window_start(interview), today + timedelta(days=1))
        last = latest
    else:
        slack = min(interval - 1, max(1, round(interval * BALANCE_SHARE)))
        first, last = natural - timedelta(days=slack), natural
    days = [
        first + timedelta(days=i)
        for i in range((last - first).days + 1)
        if first + timedelta(days=i) not in away
    ]
    if not days:
        days = [last]
    best = min(days, key=lambda d: (load.get(d, 0), -d.toordinal()))
    if best in away:  # every allowed day is a day away: come before the break
        while best in away and best > today + timedelta(days=1):
            best -= timedelta(days=1)
    cap = (best - today).days
    return cap if cap < interval else None

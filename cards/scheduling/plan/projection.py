"""One card's future under the plan: answered Good whenever due, capped as planned.

Pure, over the Scheduler protocol only (`next_state`, `interval_days`,
`due_on(cap=)`, `recall_probability`): the readiness forecast, the minutes a
day and the run-up's even load all come from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from cards.scheduling.base import Scheduler
from cards.scheduling.plan.core import (
    BRING_BACK_BELOW,
    Interview,
    Phase,
    cap_for,
    phase,
    window_start,
)

GOOD = 4
MAX_PROJECTED_REVIEWS = 200


@dataclass(frozen=True)
class Projection:
    recall: float  # predicted recall on the day
    reviews: int  # answers between now and the day (the first one of a new card too)


def project(
    interview: Interview,
    scheduler: Scheduler,
    *,
    state: Any,
    reviewed_on: date | None,
    due_on: date,
    today: date,
) -> Projection:
    """Follow the plan for one card: answered Good whenever due before the day.

    `state` None is a new card, first answered on `due_on`.
    """
    return _project(interview, scheduler, state, reviewed_on, max(due_on, today))


# Pure, and asked about the same cards every day (a card's future from today
# depends on today only through its first due day): remembered.
@lru_cache(maxsize=1 << 16)
def _project(
    interview: Interview,
    scheduler: Scheduler,
    state: Any,
    reviewed_on: date | None,
    due: date,
) -> Projection:
    reviews = 0
    while due < interview.on and reviews < MAX_PROJECTED_REVIEWS:
        base = scheduler.initial_state() if state is None else state
        elapsed = 0 if reviewed_on is None else (due - reviewed_on).days
        state = scheduler.next_state(base, GOOD, elapsed_days=elapsed)
        reviewed_on = due
        reviews += 1
        interval = scheduler.interval_days(state)
        cap = cap_for(interview, due, interval=interval)
        nxt = scheduler.due_on(state, due, cap=cap)
        if phase(interview, due) is not Phase.RUN_UP and (
            scheduler.recall_probability(state, interview.on, reviewed_on=due)
            >= BRING_BACK_BELOW
        ):
            break  # brought back in the window: enough for the day
        due = nxt
    if state is None or reviewed_on is None:
        return Projection(0.0, reviews)
    start = window_start(interview)
    last = interview.on - timedelta(days=1)
    recall = scheduler.recall_probability(state, interview.on, reviewed_on=reviewed_on)
    if reviewed_on < last and start <= last and recall < BRING_BACK_BELOW:
        # The final window brings it back once more, on its last day at worst.
        elapsed = (last - reviewed_on).days
        state = scheduler.next_state(state, GOOD, elapsed_days=elapsed)
        reviews += 1
        recall = scheduler.recall_probability(state, interview.on, reviewed_on=last)
    return Projection(recall, reviews)

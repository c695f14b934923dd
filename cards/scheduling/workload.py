"""How many reviews a day FSRS would ask of a learner at a desired retention.

Pure: a seeded Monte Carlo over the learner's own FSRS states. Each card is
answered when due; whether it is recalled is drawn from FSRS's own predicted
retrievability (the best model of this learner we have), a recalled card is
answered Good, a forgotten one Again and then Good through its same-day
steps; every answer (steps included) counts as one review. New cards join at
the learner's daily limit while the bank has some.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cards.scheduling.fsrs import FSRS, FSRSState

RETENTIONS = (0.80, 0.85, 0.90, 0.95)
HORIZON_DAYS = 30
_GOOD, _AGAIN = 4, 1
# Simulated answers per estimate, about 0.3 s: fewer runs for more cards.
BUDGET = 20_000
_DAY0 = date(2000, 1, 1)


@dataclass(frozen=True)
class CardNow:
    """A card today: its FSRS state, study days until due (<= 0: due today) and
    study days since it was last answered."""

    state: FSRSState
    due_in: int
    since_review: int


def _reviews_of(
    scheduler: FSRS, card: CardNow, *, start: int, days: int, rng: random.Random
) -> int:
    state, t, last, count = card.state, max(start, card.due_in), -card.since_review, 0
    while t < days:
        elapsed = t - last
        if state.stability is None:
            grade = _GOOD  # learning a new card
        else:
            recall = scheduler.recall_probability(
                state, _DAY0 + timedelta(days=elapsed), reviewed_on=_DAY0
            )
            grade = _GOOD if rng.random() < recall else _AGAIN
        state = scheduler.next_state(state, grade, elapsed_days=elapsed)
        count += 1
        while scheduler.later_today_after(state):
            state = scheduler.next_state(state, _GOOD, elapsed_days=0)
            count += 1
        last, t = t, t + max(1, state.interval_days)
    return count


def reviews_per_day(
    scheduler: FSRS,
    cards: Sequence[CardNow],
    *,
    days: int = HORIZON_DAYS,
    new_per_day: int = 0,
    new_available: int = 0,
    seed: int = 19,
) -> float:
    """The mean number of answers a day over the next `days` study days."""
    new_cards = min(new_available, new_per_day * days)
    size = max(1, len(cards) + new_cards)
    runs = max(1, min(8, BUDGET // (size * 4)))
    rng, total = random.Random(seed), 0
    fresh = CardNow(state=FSRSState(), due_in=0, since_review=0)
    for _ in range(runs):
        total += sum(
            _reviews_of(scheduler, card, start=0, days=days, rng=rng) for card in cards
        )
        for n in range(new_cards):
            day = n // max(1, new_per_day)
            total += _reviews_of(scheduler, fresh, start=day, days=days, rng=rng)
    return total / runs / days

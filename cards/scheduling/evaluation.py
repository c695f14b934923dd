"""How well FSRS's parameters predict a learner's own answers: log-loss.

Pure. Each card's logged answers are replayed through FSRS (py-fsrs, every
answer in order); before each answer given at least one study day after the
previous one, FSRS's predicted retrievability is scored against what happened
(recalled = grade 3 or more). Lower is better; the baseline predicts the
learner's average recall every time, so a model worth having beats it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from cards.scheduling.base import PASSING_GRADE
from cards.scheduling.fsrs import FSRS

# py-fsrs's optimiser fits nothing below this many reviews (it returns the
# defaults); the figure the app quotes for "enough history".
OPTIMISER_MINIMUM_REVIEWS = 512
_EPS = 1e-6


@dataclass(frozen=True)
class Evaluation:
    reviews: int  # answers scored (a day or more after the previous one)
    log_loss: float | None
    baseline: float | None  # log-loss of always predicting the mean recall
    recall: float | None  # the share of those answers recalled

    @property
    def has_enough_for_fitting(self) -> bool:
        return self.reviews >= OPTIMISER_MINIMUM_REVIEWS


def _bce(p: float, recalled: bool) -> float:
    p = min(max(p, _EPS), 1 - _EPS)
    return -math.log(p if recalled else 1 - p)


def evaluate(
    histories: Iterable[Sequence[tuple[date, int]]], scheduler: FSRS
) -> Evaluation:
    """Score `scheduler` on `histories`: per card, (study day, grade) in order."""
    predictions: list[tuple[float, bool]] = []
    for history in histories:
        state, previous = scheduler.initial_state(), None
        for day, grade in history:
            elapsed = 0 if previous is None else (day - previous).days
            if previous is not None and elapsed >= 1 and state.stability is not None:
                p = scheduler.recall_probability(state, day, reviewed_on=previous)
                predictions.append((p, grade >= PASSING_GRADE))
            state = scheduler.next_state(state, grade, elapsed_days=max(0, elapsed))
            previous = day
    if not predictions:
        return Evaluation(0, None, None, None)
    n = len(predictions)
    mean = sum(y for _, y in predictions) / n
    return Evaluation(
        reviews=n,
        log_loss=sum(_bce(p, y) for p, y in predictions) / n,
        baseline=sum(_bce(mean, y) for _, y in predictions) / n,
        recall=mean,
    )

"""FSRS-6 memory, written out for the plan simulation: the simulated learner's truth.

Independent of the planner (which sees memory only through the Scheduler
protocol, SM-2 here): stability and difficulty follow FSRS-6's update rules
with its default parameters, perturbed per learner, and the recall of a card
is R(t, S) = (1 + F * t / S) ** -w20, F = 0.9 ** (-1 / w20) - 1.
Formulas: open-spaced-repetition, "The Algorithm" (FSRS-6) and py-fsrs 6.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

# FSRS-6 default parameters w0..w20 (py-fsrs 6.x DEFAULT_PARAMETERS).
DEFAULT_W = (
    0.212,
    1.2931,
    2.3065,
    8.2956,
    6.4133,
    0.8334,
    3.0194,
    0.001,
    1.8722,
    0.1666,
    0.796,
    1.4835,
    0.0614,
    0.2629,
    1.6483,
    0.6014,
    1.8729,
    0.5425,
    0.0912,
    0.0658,
    0.1542,
)
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
MIN_S = 0.01


def perturbed(rng: random.Random, spread: float = 0.2) -> tuple[float, ...]:
    """One learner's parameters: each default times a lognormal factor."""
    return tuple(w * math.exp(rng.gauss(0, spread)) for w in DEFAULT_W)


@dataclass
class Memory:
    stability: float
    difficulty: float
    last_day: int


class Learner:
    def __init__(self, w: tuple[float, ...]) -> None:
        self.w = w
        self.decay = -w[20]
        self.factor = 0.9 ** (1 / self.decay) - 1

    def recall(self, memory: Memory | None, day: int) -> float:
        if memory is None:
            return 0.0
        t = max(0, day - memory.last_day)
        return (1 + self.factor * t / max(memory.stability, MIN_S)) ** self.decay

    def _d0(self, rating: int) -> float:
        w = self.w
        return min(10.0, max(1.0, w[4] - math.exp(w[5] * (rating - 1)) + 1))

    def first(self, rating: int, day: int) -> Memory:
        return Memory(max(self.w[rating - 1], MIN_S), self._d0(rating), day)

    def review(self, memory: Memory, rating: int, day: int) -> Memory:
        w = self.w
        s, d = memory.stability, memory.difficulty
        if day == memory.last_day:
            # Same-day review (FSRS-6 short-term stability).
            s = s * math.exp(w[17] * (rating - 3 + w[18])) * s ** (-w[19])
        else:
            r = self.recall(memory, day)
            if rating == AGAIN:
                forget = (
                    w[11]
                    * d ** (-w[12])
                    * ((s + 1) ** w[13] - 1)
                    * math.exp(w[14] * (1 - r))
                )
                s = min(forget, s)
            else:
                hard = w[15] if rating == HARD else 1.0
                easy = w[16] if rating == EASY else 1.0
                s = s * (
                    math.exp(w[8])
                    * (11 - d)
                    * s ** (-w[9])
                    * (math.exp(w[10] * (1 - r)) - 1)
                    * hard
                    * easy
                    + 1
                )
        delta = -w[6] * (rating - 3)
        d = d + delta * (10 - d) / 9
        d = w[7] * self._d0(EASY) + (1 - w[7]) * d
        return Memory(max(s, MIN_S), min(10.0, max(1.0, d)), day)

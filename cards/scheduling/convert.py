"""Converting a card's state between SM-2 and FSRS when a learner switches.

Pure. SM-2 -> FSRS for a card with a review history replays the history
(cards/learner/scheduler_switch.py, through the answer rule); without one,
`fsrs_from_sm2` derives the memory state from the SM-2 ease and interval as
Anki does. FSRS -> SM-2 keeps the FSRS interval and the card's last SM-2 ease.
"""

from __future__ import annotations

import math
from decimal import Decimal

from cards.scheduling.fsrs import FSRS, FSRSState
from cards.scheduling.sm2 import DEFAULT_EASE, CardState

# The recall SM-2's intervals are taken to have achieved ("historical
# retention"), Anki's default for this conversion.
SM2_RETENTION = 0.9
_S_MIN, _D_MIN, _D_MAX = 0.001, 1.0, 10.0


def memory_state_from_sm2(
    scheduler: FSRS,
    *,
    ease: float,
    interval: float,
    sm2_retention: float = SM2_RETENTION,
) -> tuple[float, float]:
    """FSRS (stability, difficulty) of a card SM-2 gave `interval` days at `ease`.

    fsrs-rs `FSRS::memory_state_from_sm2` (src/inference.rs), which Anki calls
    for cards whose review log is incomplete (rslib/src/scheduler/fsrs/
    memory_state.rs, with the preset's historical retention, 0.9 by default):
    the stability makes recall after `interval` days equal `sm2_retention`, and
    the difficulty is the one whose stability increase after a success at that
    retention equals the ease:
        S = max(interval, S_MIN) * F / (r ** (1 / decay) - 1),  F = 0.9 ** (1 / decay) - 1
        D = 11 - (ease - 1) / (e ** w8 * S ** -w9 * (e ** ((1 - r) * w10) - 1))
    with decay = -w20, D clamped to [1, 10].
    """
    w = scheduler.parameters
    decay = -w[20]
    factor = 0.9 ** (1 / decay) - 1
    stability = max(interval, _S_MIN) * factor / (sm2_retention ** (1 / decay) - 1)
    growth = (
        math.exp(w[8]) * stability ** -w[9] * math.expm1((1 - sm2_retention) * w[10])
    )
    difficulty = 11 - (ease - 1) / growth
    return stability, min(max(difficulty, _D_MIN), _D_MAX)


def fsrs_from_sm2(scheduler: FSRS, state: CardState) -> FSRSState:
    """The FSRS state of an SM-2 card with no usable history (Anki's way)."""
    if state.interval_days == 0:
        return scheduler.initial_state()
    stability, difficulty = memory_state_from_sm2(
        scheduler, ease=float(state.ease), interval=state.interval_days
    )
    return FSRSState(
        phase="review",
        step=None,
        stability=stability,
        difficulty=difficulty,
        interval_days=state.interval_days,
    )


def sm2_from_fsrs(
    state: FSRSState, *, ease: Decimal = DEFAULT_EASE, repetitions: int = 1
) -> CardState:
    """An SM-2 state with the FSRS interval and the card's last SM-2 `ease`.

    A card in review keeps its FSRS interval and `repetitions` (the caller's
    count of passing answers since the last failure, at least 1). A card in a
    learning or relearning step is, to SM-2, a card just failed or begun:
    repetitions 0, interval 1 day.
    """
    if state.stability is None:
        return CardState(ease=ease)
    if state.phase != "review":
        return CardState(repetitions=0, interval_days=1, ease=ease)
    return CardState(
        repetitions=max(1, repetitions), interval_days=state.interval_days, ease=ease
    )

"""SM-2 against FSRS on simulated learners: reviews done and share recalled.

    .venv/bin/python -m bench.schedulers [--learners 30] [--cards 100] [--days 365]

Pure Python, no database. Each simulated learner studies every day for
`--days` days: every due card (kind review), then up to 10 new cards, then the
same-day re-drills and steps, each answer through the app's own answer rule
(cards/review/answer.py) and scheduler. Whether an answer is recalled is drawn
from a memory model that is not the scheduler being scored:

- "fsrs6-perturbed": FSRS-6 with its default parameters, each multiplied per
  learner by a log-normal factor (sigma 0.25) and clipped to py-fsrs's bounds,
  so the scheduler's defaults are wrong for every learner, as in life;
- "exponential": R = exp(-t / S) with a per-card stability S (first 10 days,
  log-normal per learner) that grows on every success by a factor
  1 + (g - 1)(1.5 - R), g log-normal around 3.5 per learner (more when recall
  was harder), and halves on a failure (to at least 2 days).

A recalled card is answered Hard, Good or Easy (15/70/15%), a forgotten one
Again (the four buttons: SM-2 grades 3, 4, 5 and 1); a new card's first
answer is Again, Hard, Good or Easy (20/10/60/10%). "recall" is the share
of scheduled reviews (due cards, not first answers, re-drills or steps)
recalled; "answers" counts every answer, re-drills and steps included.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import fsrs as pyfsrs

from cards.review import answer
from cards.scheduling import fsrs, sm2

START = date(2026, 1, 5)
NEW_PER_DAY = 10
AGAIN, HARD, GOOD, EASY = 1, 3, 4, 5


def _perturbed(rng: random.Random, sigma: float = 0.25) -> tuple[float, ...]:
    low = pyfsrs.scheduler.LOWER_BOUNDS_PARAMETERS
    high = pyfsrs.scheduler.UPPER_BOUNDS_PARAMETERS
    return tuple(
        min(hi, max(lo, w * math.exp(rng.gauss(0, sigma))))
        for w, lo, hi in zip(fsrs.DEFAULT_PARAMETERS, low, high, strict=True)
    )


class FSRSTruth:
    """A learner whose memory is FSRS-6 with their own parameters."""

    name = "fsrs6-perturbed"

    def __init__(self, rng: random.Random) -> None:
        self.engine = fsrs.FSRS(parameters=_perturbed(rng))

    def new_card(self, rng: random.Random) -> fsrs.FSRSState:
        return self.engine.initial_state()

    def recall(self, memory: fsrs.FSRSState, elapsed: int) -> float:
        if memory.stability is None:
            return 0.0
        return self.engine.recall_probability(
            memory, START + timedelta(days=elapsed), reviewed_on=START
        )

    def after(self, memory, grade: int, elapsed: int, recall: float):
        return self.engine.next_state(memory, grade, elapsed_days=elapsed)


class ExponentialTruth:
    """A learner with exponential forgetting and multiplicative stability growth."""

    name = "exponential"

    def __init__(self, rng: random.Random) -> None:
        self.growth = 3.5 * math.exp(rng.gauss(0, 0.25))
        self.first = 10.0 * math.exp(rng.gauss(0, 0.3))

    def new_card(self, rng: random.Random) -> float | None:
        return None  # never seen: stability set by the first answer

    def recall(self, memory: float | None, elapsed: int) -> float:
        return 0.0 if memory is None else math.exp(-elapsed / memory)

    def after(self, memory, grade: int, elapsed: int, recall: float) -> float:
        if memory is None:
            return self.first
        if grade == AGAIN:
            return max(2.0, memory * 0.5)
        if elapsed == 0:
            return memory  # a same-day repetition adds nothing
        # Spacing effect: a harder recall (lower R) strengthens more.
        return memory * (1 + (self.growth - 1) * (1.5 - recall))


TRUTHS = {"fsrs6-perturbed": FSRSTruth, "exponential": ExponentialTruth}


@dataclass
class Card:
    memory: object
    state: object = None
    due_on: date | None = None
    redrill_on: date | None = None
    last_day: date | None = None  # of the last answer (the scheduler's elapsed)
    memory_day: date | None = None  # of the last answer (the memory's elapsed)


@dataclass
class Tally:
    answers: int = 0
    reviews: int = 0
    recalled: int = 0
    seconds: float = 0.0
    per_learner: list = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.recalled / max(1, self.reviews)


def _answer(card: Card, kind, scheduler, truth, today, rng, tally: Tally) -> None:
    elapsed_memory = 0 if card.memory_day is None else (today - card.memory_day).days
    p = truth.recall(card.memory, elapsed_memory)
    recalled = rng.random() < p
    r = rng.random()
    if kind is answer.Kind.NEW:  # first sight: 20% Again, 10% Hard, 10% Easy
        grade = AGAIN if r < 0.2 else HARD if r < 0.3 else EASY if r > 0.9 else GOOD
    elif recalled:
        grade = HARD if r < 0.15 else EASY if r > 0.85 else GOOD
    else:
        grade = AGAIN
    elapsed = 0 if card.last_day is None else (today - card.last_day).days
    result = answer.outcome(
        kind,
        scheduler=scheduler,
        state=card.state,
        due_on=card.due_on,
        redrill_on=card.redrill_on,
        grade=grade,
        today=today,
        elapsed_days=elapsed,
    )
    card.state, card.due_on, card.redrill_on = (
        result.state,
        result.due_on,
        result.redrill_on,
    )
    card.memory = truth.after(card.memory, grade, elapsed_memory, p)
    card.last_day = card.memory_day = today
    tally.answers += 1
    if kind is answer.Kind.REVIEW:
        tally.reviews += 1
        tally.recalled += recalled


def simulate_learner(scheduler, truth_cls, *, seed: int, cards: int, days: int, tally):
    rng = random.Random(seed)
    truth = truth_cls(random.Random(seed * 7919 + 1))
    deck: list[Card] = []
    before = (tally.reviews, tally.recalled)
    for offset in range(days):
        today = START + timedelta(days=offset)
        for card in deck:
            if card.due_on <= today and card.redrill_on != today:
                _answer(card, answer.Kind.REVIEW, scheduler, truth, today, rng, tally)
        for _ in range(min(NEW_PER_DAY, cards - len(deck))):
            card = Card(memory=truth.new_card(rng))
            deck.append(card)
            _answer(card, answer.Kind.NEW, scheduler, truth, today, rng, tally)
        for _round in range(20):  # re-drills and steps, until none is left today
            again = [c for c in deck if c.redrill_on == today]
            if not again:
                break
            for card in again:
                _answer(card, answer.Kind.REDRILL, scheduler, truth, today, rng, tally)
    reviews, recalled = tally.reviews - before[0], tally.recalled - before[1]
    tally.per_learner.append(recalled / max(1, reviews))


def run(scheduler, truth_name: str, *, learners: int, cards: int, days: int) -> Tally:
    tally, started = Tally(), time.perf_counter()
    for seed in range(1, learners + 1):
        simulate_learner(
            scheduler,
            TRUTHS[truth_name],
            seed=seed,
            cards=cards,
            days=days,
            tally=tally,
        )
    tally.seconds = time.perf_counter() - started
    return tally


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--cards", type=int, default=100)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument(
        "--retentions",
        default="0.90,0.93,0.95",
        help="FSRS desired retentions to run (0.90 first: the headline)",
    )
    args = parser.parse_args(argv)
    retentions = [float(r) for r in args.retentions.split(",")]
    size = {"learners": args.learners, "cards": args.cards, "days": args.days}
    print(
        f"{args.learners} learners x {args.cards} cards x {args.days} days, "
        f"{NEW_PER_DAY} new cards a day; recall = share of scheduled reviews recalled"
    )
    print(f"{'memory model':17} {'scheduler':11} {'answers':>8} {'reviews':>8} "
          f"{'recall':>7}  {'vs SM-2 answers':>15}  {'s':>5}")  # fmt: skip
    for truth in TRUTHS:
        base = run(sm2.SM2(), truth, **size)
        rows = [("SM-2", base)] + [
            (f"FSRS@{r:.2f}", run(fsrs.FSRS(desired_retention=r), truth, **size))
            for r in retentions
        ]
        for name, tally in rows:
            change = tally.answers / base.answers - 1
            print(
                f"{truth:17} {name:11} {tally.answers:8d} {tally.reviews:8d} "
                f"{tally.recall:7.3f}  {change:+15.1%}  {tally.seconds:5.1f}"
            )


if __name__ == "__main__":
    main()

"""The scheduler benchmark (bench/schedulers.py) on a small, deterministic run."""

import random

import pytest

from bench import schedulers
from cards.scheduling import fsrs, sm2

pytestmark = pytest.mark.once

SMALL = {"learners": 2, "cards": 20, "days": 60}


@pytest.mark.parametrize("truth", sorted(schedulers.TRUTHS))
def test_a_run_is_deterministic_and_counts_what_it_says(truth):
    first = schedulers.run(sm2.SM2(), truth, **SMALL)
    again = schedulers.run(sm2.SM2(), truth, **SMALL)
    assert (first.answers, first.reviews, first.recalled) == (
        again.answers,
        again.reviews,
        again.recalled,
    )
    # Every card has its first answer; reviews are a part of all answers.
    assert first.answers >= first.reviews + SMALL["learners"] * SMALL["cards"]
    assert 0.5 < first.recall < 1 and len(first.per_learner) == SMALL["learners"]


def test_a_higher_desired_retention_costs_reviews_and_buys_recall():
    low = schedulers.run(fsrs.FSRS(desired_retention=0.8), "fsrs6-perturbed", **SMALL)
    high = schedulers.run(fsrs.FSRS(desired_retention=0.95), "fsrs6-perturbed", **SMALL)
    assert high.answers > low.answers and high.recall > low.recall


def test_each_learner_gets_their_own_memory_parameters():
    one = schedulers.FSRSTruth(random.Random(1)).engine.parameters
    two = schedulers.FSRSTruth(random.Random(2)).engine.parameters
    assert one != two and fsrs.DEFAULT_PARAMETERS not in (one, two)


def test_the_command_prints_both_schedulers_for_both_models(capsys):
    schedulers.main(["--learners", "1", "--cards", "10", "--days", "30"])
    out = capsys.readouterr().out
    for name in ("SM-2", "FSRS@0.90", "fsrs6-perturbed", "exponential"):
        assert name in out

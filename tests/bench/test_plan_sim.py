"""The plan simulation's pieces (bench/plan_sim.py, bench/fsrs6.py): small, fast runs."""

import random

import pytest

from bench import fsrs6, plan_sim


def test_the_fsrs6_curve_is_90_percent_after_one_stability():
    learner = fsrs6.Learner(fsrs6.DEFAULT_W)
    memory = fsrs6.Memory(stability=12.0, difficulty=5.0, last_day=0)
    assert learner.recall(memory, 12) == pytest.approx(0.9)
    assert learner.recall(memory, 0) == 1.0
    assert learner.recall(memory, 40) < learner.recall(memory, 20)


def test_success_grows_stability_and_a_lapse_shrinks_it():
    learner = fsrs6.Learner(fsrs6.perturbed(random.Random(3)))
    memory = learner.first(fsrs6.GOOD, 0)
    good = learner.review(memory, fsrs6.GOOD, 5)
    again = learner.review(good, fsrs6.AGAIN, 30)
    assert good.stability > memory.stability > 0
    assert again.stability < good.stability


def test_a_short_run_introduces_and_recalls_a_small_bank():
    result = plan_sim.run(10, 14, 20, 1, with_plan=True)
    assert result.feasible and len(result.loads) == 14
    assert 0.8 <= result.recalled <= 1.0 and 0.8 <= result.predicted <= 1.0


def test_the_load_rule_judges_the_final_window_as_a_whole():
    ok, mean, worst = plan_sim.load_ok((10, 10, 10, 10, 30), window=0)
    assert not ok and mean == 14 and worst == pytest.approx(30 / 14)  # x the mean
    ok, mean, _ = plan_sim.load_ok((10, 10, 10, 5, 25), window=2)
    assert ok and mean == 10  # the window's mean (15) is within 1.5x the run-up's


def test_the_load_rule_takes_the_mean_of_the_run_up_alone():
    # Over every day the mean would be 1.5 and the window's 2 within 2.25;
    # the run-up's own mean is 1, so the window is over 1.5x it.
    ok, mean, worst = plan_sim.load_ok((1, 1, 1, 1, 2, 2, 2, 2), window=4)
    assert not ok and mean == 1 and worst == 2

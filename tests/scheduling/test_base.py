"""The Scheduler protocol (cards/scheduling/base.py) as SM-2 implements it; no database."""

import inspect
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cards import scheduling
from cards.scheduling import base, sm2
from cards.scheduling.sm2 import SM2, CardState

DAY = date(2026, 1, 5)
states = st.builds(
    CardState,
    repetitions=st.integers(0, 10_000),
    interval_days=st.integers(0, base.MAX_INTERVAL_DAYS),
    ease=st.decimals(min_value=Decimal("1.3"), max_value=Decimal("999"), places=2),
)


def protocol_methods():
    return {
        name: member
        for name, member in vars(base.Scheduler).items()
        if inspect.isfunction(member) and not name.startswith("_")
    }


@pytest.mark.parametrize("name", sorted(scheduling.SCHEDULERS))
def test_every_scheduler_implements_the_protocol_exactly(name):
    scheduler = scheduling.SCHEDULERS[name]
    assert scheduling.get(scheduler.name) is scheduler
    for name, method in protocol_methods().items():
        mine = inspect.signature(getattr(scheduler, name))
        theirs = inspect.signature(method)
        expected = [
            (p.name, p.kind) for p in theirs.parameters.values() if p.name != "self"
        ]
        assert [(p.name, p.kind) for p in mine.parameters.values()] == expected, name


def test_an_unknown_scheduler_name_is_refused():
    with pytest.raises(ValueError, match="unknown scheduler"):
        scheduling.get("sm3")


@given(states)
def test_loads_inverts_dumps_exactly_through_json(state):
    data = SM2().dumps(state)
    assert list(data) == sorted(data)
    assert SM2().loads(json.loads(json.dumps(data))) == state


def test_dumps_keeps_the_ease_exact():
    state = CardState(repetitions=3, interval_days=9, ease=Decimal("1.50"))
    assert SM2().dumps(state) == {"ease": "1.50", "interval_days": 9, "repetitions": 3}


@pytest.mark.parametrize(
    "data",
    [
        {"ease": "2.50", "interval_days": 6},
        {"ease": "2.50", "interval_days": 6, "repetitions": 2, "extra": 1},
        {"ease": 2.5, "interval_days": 6, "repetitions": 2},
        {"ease": "2.5", "interval_days": 6, "repetitions": 2},
        {"ease": "1.29", "interval_days": 6, "repetitions": 2},
        {"ease": "2.50", "interval_days": 36_501, "repetitions": 2},
        {"ease": "2.50", "interval_days": True, "repetitions": 2},
        {"ease": "2.50", "interval_days": 6, "repetitions": -1},
        ["2.50", 6, 2],
    ],
)
def test_loads_refuses_what_dumps_could_not_have_written(data):
    with pytest.raises(ValueError, match="SM-2 state|ease|must"):
        SM2().loads(data)


@given(states, st.integers(0, 400))
def test_intervals_are_what_next_state_schedules(state, elapsed):
    scheduler = SM2()
    intervals = scheduler.intervals(state, elapsed_days=elapsed)
    assert set(intervals) == set(base.GRADES)
    for grade, days in intervals.items():
        new = scheduler.next_state(state, grade, elapsed_days=elapsed)
        assert days == scheduler.interval_days(new) == new.interval_days
        assert 1 <= days <= base.MAX_INTERVAL_DAYS


def test_next_state_is_sm2_capped_at_the_maximum_interval():
    state = CardState(repetitions=30, interval_days=36_000, ease=Decimal("3.0"))
    assert SM2().next_state(state, 5, elapsed_days=0) == sm2.next_state(
        state, grade=5, max_interval_days=base.MAX_INTERVAL_DAYS
    )


def test_due_on_adds_the_interval_or_the_cap_if_shorter():
    scheduler, state = SM2(), CardState(repetitions=3, interval_days=15)
    assert scheduler.due_on(state, DAY) == DAY + timedelta(days=15)
    assert scheduler.due_on(state, DAY, cap=4) == DAY + timedelta(days=4)
    assert scheduler.due_on(state, DAY, cap=40) == DAY + timedelta(days=15)


@pytest.mark.parametrize("cap", [0, -3, 1.5, True])
def test_a_cap_is_a_whole_number_of_days_of_at_least_one(cap):
    with pytest.raises(ValueError, match="cap"):
        SM2().due_on(CardState(), DAY, cap=cap)


def test_recall_is_ninety_percent_after_one_interval_and_falls():
    scheduler, state = SM2(), CardState(repetitions=3, interval_days=20)
    recall = [
        scheduler.recall_probability(state, DAY + timedelta(days=n), reviewed_on=DAY)
        for n in (0, 5, 20, 60, 365)
    ]
    assert recall[0] == 1.0
    assert recall[2] == pytest.approx(0.9)
    assert recall == sorted(recall, reverse=True) and recall[-1] > 0
    with pytest.raises(ValueError, match="before"):
        scheduler.recall_probability(state, DAY - timedelta(days=1), reviewed_on=DAY)


def test_fsrs6_forgetting_curve_meets_ninety_percent_at_the_stability():
    assert base.forgetting_curve(10, 10) == pytest.approx(0.9)
    assert base.forgetting_curve(0, 10) == 1.0
    assert base.add_days(DAY, 3) == date(2026, 1, 8)


def test_redrill_and_lapse_follow_sm2():
    scheduler = SM2()
    assert [scheduler.needs_redrill(g) for g in base.GRADES] == [True] * 4 + [False] * 2
    assert not scheduler.is_learned(scheduler.initial_state())
    assert scheduler.is_learned(CardState(repetitions=1, interval_days=1))

"""SM-2 (cards/scheduling/sm2.py): the worked examples and exact ease; no database."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cards.scheduling import sm2
from cards.scheduling.sm2 import CardState, next_state


def run(grades, state=None):
    state = state or CardState()
    out = []
    for g in grades:
        state = next_state(state, grade=g)
        out.append((state.repetitions, state.ease, state.interval_days))
    return out


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        ([5, 5, 5, 5], [(1, 2.6, 1), (2, 2.7, 6), (3, 2.8, 16), (4, 2.9, 45)]),
        (
            [0, 0, 3, 3, 3, 3],
            [
                (0, 1.7, 1),
                (0, 1.3, 1),
                (1, 1.3, 1),
                (2, 1.3, 6),
                (3, 1.3, 8),
                (4, 1.3, 10),
            ],
        ),
        (
            [4, 4, 4, 1, 4, 4],
            [
                (1, 2.5, 1),
                (2, 2.5, 6),
                (3, 2.5, 15),
                (0, 1.96, 1),
                (1, 1.96, 1),
                (2, 1.96, 6),
            ],
        ),
        # Ease changes per grade from 2.5: +0.10, 0, -0.14, -0.32, -0.54, -0.80.
        ([2], [(0, 2.18, 1)]),
        ([3, 3, 3], [(1, 2.36, 1), (2, 2.22, 6), (3, 2.08, 13)]),
        # 1.3 + 0.1 + 0.1 is exactly 1.5, so the third interval is 6 x 1.5 = 9.
        (
            [0, 0, 0, 5, 5, 5],
            [
                (0, 1.7, 1),
                (0, 1.3, 1),
                (0, 1.3, 1),
                (1, 1.4, 1),
                (2, 1.5, 6),
                (3, 1.6, 9),
            ],
        ),
    ],
)
def test_sm2_worked_examples(grades, expected):
    assert run(grades) == expected


def test_ease_compares_equal_to_decimal_and_float_literals():
    ease = next_state(CardState(), grade=5).ease
    assert ease == 2.6
    assert ease == Decimal("2.6")
    assert ease == Decimal("2.60")
    assert ease == 2.6


def test_round_half_up_of_interval():
    # 10 x 2.25 = 22.5 rounds up to 23 (not to the even 22).
    state = CardState(repetitions=3, interval_days=10, ease=Decimal("2.25"))
    assert next_state(state, grade=4).interval_days == 23


def test_interval_uses_ease_from_before_the_answer():
    state = CardState(repetitions=2, interval_days=6, ease=Decimal("2.5"))
    assert next_state(state, grade=5).interval_days == 15  # 6 x 2.5, not 6 x 2.6


def test_failed_recall_resets_repetitions_and_interval():
    state = next_state(CardState(repetitions=4, interval_days=20), grade=1)
    assert (state.repetitions, state.interval_days) == (0, 1)


def test_max_interval_clamps_and_never_overflows():
    state = CardState()
    for _ in range(200):
        state = next_state(state, grade=5, max_interval_days=sm2.MAX_INTERVAL_DAYS)
    assert state.interval_days == sm2.MAX_INTERVAL_DAYS
    assert sm2.SM2().due_on(state, date(2026, 1, 5)).year == 2125


@pytest.mark.parametrize("grade", [-1, 6, 3.0, "3", None, True, 2**70])
def test_invalid_grade_raises(grade):
    with pytest.raises(ValueError, match="grade"):
        next_state(CardState(), grade=grade)


states = st.builds(
    CardState,
    repetitions=st.integers(0, 50),
    interval_days=st.integers(1, 36_500),
    ease=st.decimals(min_value=Decimal("1.3"), max_value=Decimal("5"), places=2),
)


@given(st.lists(st.integers(3, 5), min_size=3, max_size=40))
def test_intervals_never_shrink_along_passing_run(grades):
    state = CardState()
    previous = 0
    for g in grades:
        state = next_state(state, grade=g, max_interval_days=36_500)
        if state.repetitions > 2:
            assert state.interval_days >= previous
        previous = state.interval_days

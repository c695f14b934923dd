"""SM-2 maths and study days: pure functions, no database."""

import ast
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cards import scheduling
from cards.scheduling import CardState, next_state


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
        state = next_state(
            state, grade=5, max_interval_days=scheduling.MAX_INTERVAL_DAYS
        )
    assert state.interval_days == scheduling.MAX_INTERVAL_DAYS
    assert scheduling.due_date(state, reviewed_on=date(2026, 1, 5)).year == 2125


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


@given(states, st.lists(st.integers(0, 5), max_size=60))
def test_ease_never_below_floor(state, grades):
    for g in grades:
        state = next_state(state, grade=g, max_interval_days=36_500)
        assert state.ease >= scheduling.MIN_EASE
        assert 1 <= state.interval_days <= 36_500


@given(states, st.integers(0, 2))
def test_grade_below_three_always_resets(state, grade):
    new = next_state(state, grade=grade)
    assert (new.repetitions, new.interval_days) == (0, 1)


@given(st.lists(st.integers(3, 5), min_size=3, max_size=40))
def test_intervals_never_shrink_along_passing_run(grades):
    state = CardState()
    previous = 0
    for g in grades:
        state = next_state(state, grade=g, max_interval_days=36_500)
        if state.repetitions > 2:
            assert state.interval_days >= previous
        previous = state.interval_days


@given(
    st.one_of(st.integers().filter(lambda n: not 0 <= n <= 5), st.floats(), st.text())
)
def test_invalid_grades_always_raise(grade):
    with pytest.raises(ValueError, match="grade"):
        next_state(CardState(), grade=grade)


@given(states, st.integers(0, 5))
def test_next_state_is_deterministic(state, grade):
    assert next_state(state, grade=grade) == next_state(state, grade=grade)


# Study days ------------------------------------------------------------------


def test_study_day_rolls_over_at_the_rollover_hour():
    ny = ZoneInfo("America/New_York")
    before = datetime(2026, 3, 10, 3, 59, tzinfo=ny)
    after = datetime(2026, 3, 10, 4, 0, tzinfo=ny)
    assert scheduling.study_day(before, tz=ny, rollover_hour=4) == date(2026, 3, 9)
    assert scheduling.study_day(after, tz=ny, rollover_hour=4) == date(2026, 3, 10)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [("Pacific/Kiritimati", date(2026, 6, 2)), ("Etc/GMT+12", date(2026, 6, 1))],
)
def test_study_day_at_the_extreme_zones(zone, expected):
    # 12:00 UTC is 02:00 next day at UTC+14 and 00:00 the same day at UTC-12.
    moment = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert scheduling.study_day(moment, tz=ZoneInfo(zone), rollover_hour=0) == expected


@pytest.mark.parametrize(
    "zone",
    [
        "America/New_York",
        "Europe/London",
        "Australia/Lord_Howe",
        "Pacific/Kiritimati",
        "Etc/GMT+12",
    ],
)
@pytest.mark.parametrize("rollover", [0, 1, 2, 4])
def test_study_day_advances_by_one_each_day_across_dst(zone, rollover):
    tz = ZoneInfo(zone)
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    day = scheduling.study_day(moment, tz=tz, rollover_hour=rollover)
    changes = 0
    while moment < datetime(2027, 1, 1, tzinfo=UTC):
        moment += timedelta(minutes=30)
        new = scheduling.study_day(moment, tz=tz, rollover_hour=rollover)
        assert new - day in (timedelta(0), timedelta(days=1))
        changes += new != day
        day = new
    assert changes == 365


def test_study_day_requires_an_aware_moment():
    with pytest.raises(ValueError, match="aware"):
        scheduling.study_day(datetime(2026, 1, 1), tz=UTC, rollover_hour=4)


@pytest.mark.parametrize(
    ("days", "short", "spoken"),
    [
        (1, "1 d", "1 day"),
        (6, "6 d", "6 days"),
        (45, "1.5 mo", "1.5 months"),
        (106, "3.5 mo", "3.5 months"),
        (365, "1 y", "1 year"),
        (800, "2.2 y", "2.2 years"),
    ],
)
def test_describe_interval(days, short, spoken):
    assert scheduling.describe_interval(days) == (short, spoken)


def test_scheduling_imports_no_django():
    tree = ast.parse(Path(scheduling.sm2.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert "django" not in imported
    assert imported <= {"__future__", "dataclasses", "datetime", "decimal"}

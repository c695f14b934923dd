"""Grade buttons: scales, keys and the interval each answer leads to (no DB)."""

import ast
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from cards.review import answer
from cards.review import buttons as grades
from cards.scheduling.sm2 import SM2, CardState

TODAY = date(2026, 1, 5)


def labels(buttons):
    return [(b.grade, b.choice.label, b.interval, b.again_today) for b in buttons]


def shown(scale, kind, state=None, due_in=0, redrill_on=None):
    """The buttons of a card of `kind` with `state`, due in `due_in` days."""

    def outcome(grade):
        return answer.outcome(
            kind,
            scheduler=SM2(),
            state=state,
            due_on=None if state is None else TODAY + timedelta(days=due_in),
            redrill_on=redrill_on,
            grade=grade,
            today=TODAY,
        )

    return grades.buttons(scale=scale, today=TODAY, outcome=outcome)


def test_four_buttons_map_to_sm2_grades_1_3_4_5_with_keys_1_to_4():
    four = grades.choices(grades.FOUR)
    assert [(c.grade, c.label, c.key) for c in four] == [
        (1, "Again", "1"),
        (3, "Hard", "2"),
        (4, "Good", "3"),
        (5, "Easy", "4"),
    ]
    assert grades.allowed_grades(grades.FOUR) == {1, 3, 4, 5}


def test_six_buttons_are_the_sm2_grades_with_their_own_keys():
    six = grades.choices(grades.SIX)
    assert [c.grade for c in six] == [0, 1, 2, 3, 4, 5]
    assert [c.key for c in six] == ["0", "1", "2", "3", "4", "5"]
    assert six[0].meaning == "Complete blackout"
    assert six[5].meaning == "Perfect response"


def test_new_card_buttons():
    buttons = shown(grades.FOUR, answer.Kind.NEW)
    assert labels(buttons) == [
        (1, "Again", "1 d", True),
        (3, "Hard", "1 d", True),
        (4, "Good", "1 d", False),
        (5, "Easy", "1 d", False),
    ]


def test_mature_card_buttons_show_months():
    state = CardState(repetitions=5, interval_days=40, ease=Decimal("2.6"))
    buttons = shown(grades.FOUR, answer.Kind.REVIEW, state)
    assert [b.interval for b in buttons] == ["1 d", "3.4 mo", "3.4 mo", "3.4 mo"]
    assert buttons[0].description == (
        "I did not know it: see it again later today, then in 1 day"
    )
    assert buttons[2].description == "Correct after some hesitation: next in 3.4 months"


def test_buttons_never_exceed_the_maximum_interval():
    state = CardState(repetitions=30, interval_days=36_000, ease=Decimal("3.0"))
    buttons = shown(grades.SIX, answer.Kind.REVIEW, state)
    assert buttons[-1].interval == "99.9 y"  # 36,500 days


def test_redrill_buttons_keep_the_schedule():
    state = CardState(repetitions=2, interval_days=6)
    buttons = shown(grades.FOUR, answer.Kind.REDRILL, state, due_in=6, redrill_on=TODAY)
    # Below 4 it comes back later today and stays due in 6 days; 4 and 5 end
    # the re-drill. Either way the due date stays where it was.
    assert labels(buttons) == [
        (1, "Again", "6 d", True),
        (3, "Hard", "6 d", True),
        (4, "Good", "6 d", False),
        (5, "Easy", "6 d", False),
    ]
    assert buttons[0].description.endswith("see it again later today, then in 6 days")


def test_off_schedule_buttons_never_lengthen_and_reset_on_a_failure():
    state = CardState(repetitions=4, interval_days=40, ease=Decimal("2.6"))
    buttons = shown(grades.SIX, answer.Kind.DRILL, state, due_in=25)
    assert labels(buttons) == [
        (0, "Blackout", "1 d", False),
        (1, "Wrong", "1 d", False),
        (2, "Almost", "1 d", False),
        (3, "Hard", "25 d", False),
        (4, "Good", "25 d", False),
        (5, "Perfect", "25 d", False),
    ]


@pytest.mark.parametrize("scale", [grades.FOUR, grades.SIX])
def test_previews_match_what_grading_does(scale):
    state = CardState(repetitions=2, interval_days=6, ease=Decimal("2.36"))
    intervals = SM2().intervals(state, elapsed_days=0)
    for button in shown(scale, answer.Kind.REVIEW, state):
        assert button.interval == grades.describe_interval(intervals[button.grade])[0]


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
    assert grades.describe_interval(days) == (short, spoken)


def test_grades_module_does_not_touch_the_database():
    tree = ast.parse(Path(grades.__file__).read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name and name.startswith("django") for name in imported)
    assert "cards.models" not in imported

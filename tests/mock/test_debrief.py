"""The debrief's grade labels (cards/mock/debrief.py)."""

from cards.mock import debrief
from cards.review import buttons


def test_a_grade_is_labelled_as_its_button_or_shown_as_a_number():
    four = buttons.choices("four")
    assert debrief._label("four", four[-1].grade) == four[-1].label
    assert debrief._label("four", None) == ""
    missing = ({0, 1, 2, 3, 4, 5} - {c.grade for c in four}).pop()
    assert debrief._label("four", missing) == str(missing)

"""A lone surrogate ("\\ud800" in JSON) is valid JSON but no text: a data file
holding one is refused at parse time, not crashed on at save time (found by
tests/invariants/test_fuzz.py on SQLite, 2026-12-08)."""

import pytest

from cards.learner import userdata_stream
from cards.learner.userdata_file import UserDataError


def test_a_line_with_a_lone_surrogate_is_refused_with_a_clear_error():
    with pytest.raises(UserDataError, match="line 3: is not JSON"):
        userdata_stream._json_line(b'{"typed_answer": "\\ud800"}', 3)


def test_a_line_with_real_text_is_read():
    assert userdata_stream._json_line('{"t": "Zoë ✓"}'.encode(), 1) == {"t": "Zoë ✓"}

"""Line and word diffs (cards/textdiff): no database."""

from cards.bank.textdiff import DiffLine, diff_lines


def test_identical_texts_are_all_same():
    assert diff_lines("a\nb", "a\nb") == [
        DiffLine("same", (("same", "a"),)),
        DiffLine("same", (("same", "b"),)),
    ]


def test_changed_line_marks_changed_words():
    removed, added = diff_lines("It uses RNNs today.", "It uses Transformers today.")
    assert removed.segments == (
        ("same", "It uses "),
        ("removed", "RNNs "),
        ("same", "today."),
    )
    assert added.segments == (
        ("same", "It uses "),
        ("added", "Transformers "),
        ("same", "today."),
    )
    assert (removed.sign, added.sign) == ("-", "+")


def test_a_run_of_changed_words_is_one_change():
    removed, added = diff_lines("Question number 5?", "A sharper prompt?")
    assert removed.segments == (("removed", "Question number 5"), ("same", "?"))
    assert added.segments == (("added", "A sharper prompt"), ("same", "?"))


def test_added_and_removed_lines():
    rows = diff_lines("keep\ndrop", "keep\nnew one\nnew two")
    assert [(r.kind, "".join(t for _, t in r.segments)) for r in rows] == [
        ("same", "keep"),
        ("removed", "drop"),
        ("added", "new one"),
        ("added", "new two"),
    ]


def test_from_nothing():
    assert [r.kind for r in diff_lines("", "x\ny")] == ["removed", "added", "added"]

"""The bank formats' error paths: each bad key point, topic, source or field
gets the message an admin sees on the import page, and nothing is parsed."""

import pytest

from cards.bank import formats as bank
from cards.bank.formats.core import key_points_problem

KP = bank.KeyPointData


def problems(text: str, fmt: str) -> list[tuple[int, str]]:
    with pytest.raises(bank.BankError) as info:
        bank.parse(text, fmt)
    return [(p.line, p.message) for p in info.value.problems]


# Key points ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("musts: x", "expected 'must:', 'point:' or 'wrong:' and a statement"),
        ("must: x | alias: y", "expected '| also: alias; alias' after the statement"),
        ("must: x | also y", "expected '| also: alias; alias' after the statement"),
        ("must: x | also: ; ;", "expected at least one alias after 'also:'"),
        ("wrong:   ", "expected a statement after 'wrong:'"),
        ("point: " + "s" * 301, "key point has 301 characters; at most 300"),
        ("must: bell \x07 here", "key point contains a control character or '-->'"),
        ("must: x | also: a --> b", "key point contains a control character or '-->'"),
        (
            "must: x | also: " + "a" * 81,
            "aliases are at most 80 characters, without '|'",
        ),
        ("must: x | also: a | b", "aliases are at most 80 characters, without '|'"),
    ],
)
def test_a_bad_key_point_line_says_what_is_wrong(text, expected):
    found = bank.parse_key_point(text)
    assert isinstance(found, str) and found.startswith(expected), found


def test_a_good_key_point_line_keeps_kind_and_aliases():
    assert bank.parse_key_point(
        "  wrong: it is magic | also: sorcery; wizardry "
    ) == KP("it is magic", ("sorcery", "wizardry"), is_misconception=True)


def test_key_point_counts_and_duplicates_are_checked():
    two = [KP("one"), KP("two")]
    assert key_points_problem([KP("one")]) == (
        "expected 2 to 7 key points (must/point), found 1"
    )
    assert key_points_problem([KP(f"p{i}") for i in range(8)]) == (
        "expected 2 to 7 key points (must/point), found 8"
    )
    wrong = [KP(f"w{i}", is_misconception=True) for i in range(6)]
    assert key_points_problem(two + wrong) == (
        "expected at most 5 misconceptions, found 6"
    )
    assert key_points_problem([*two, KP("ONE", is_must=True)]) == (
        "two key points have the same statement"
    )
    assert key_points_problem(two + wrong[:5]) is None


# Topics, sources, verified date ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["RAG", 3], "expected topic names as text, found 3"),
        ("A; " + "t" * 81, "expected a topic name of at most 80 characters"),
        ("A; B --> C", "expected a topic name of at most 80 characters"),
        (["A;B"], "a topic name cannot contain ';', found 'A;B'"),
        (" ; ;", "expected at least one topic name"),
    ],
)
def test_a_bad_topic_list_says_what_is_wrong(value, expected):
    found = bank.parse_topics(value)
    assert isinstance(found, str) and found.startswith(expected), found


def test_topics_are_tidied_and_deduplicated_without_case():
    assert bank.parse_topics("  Retrieval   augmented ; ; rag; RAG;Evals") == (
        "Retrieval augmented",
        "rag",
        "Evals",
    )
    assert bank.parse_topics([["rag"], "Evals", "  "]) == ("rag", "Evals")
    # A list may be empty (JSON `"topics": []`); a text cell may not.
    assert bank.parse_topics([]) == ()


@pytest.mark.parametrize(
    "value", [7, "", "   ", "s" * 501, "a\x07b", "line one\nline two", "a --> b"]
)
def test_a_source_must_be_one_line_of_text(value):
    found = bank.parse_sources(["https://example.org/ok", value])
    assert found.startswith(
        "expected each source as one line of at most 500 characters"
    )


def test_at_most_ten_sources():
    assert bank.parse_sources([f"s{i}" for i in range(10)]) == tuple(
        f"s{i}" for i in range(10)
    )
    assert bank.parse_sources([f"s{i}" for i in range(11)]) == (
        "expected at most 10 sources, found 11"
    )


@pytest.mark.parametrize("value", ["2026-02-30", "2026-2-3", 20260203, None])
def test_an_impossible_or_malformed_date_is_refused(value):
    assert bank.parse_verified(value).startswith(
        "expected the verified date as YYYY-MM-DD"
    )


# Writing what a format cannot carry -------------------------------------------------


BASE = bank.QuestionData("k", 1, 1, "P?", "A.")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"key_points": (KP("a | b"), KP("c"))}, "its key point 'a | b' uses '|'"),
        ({"topics": ("A;B",)}, "one of its topic names uses ';'"),
        ({"topics": ("two  spaces",)}, "one of its topic names uses ';'"),
        ({"sources": ("one\ntwo",)}, "one of its sources is not one line"),
        ({"answer": " padded "}, "its answer has surrounding whitespace"),
        ({"answer": "It\u00e2\u20ac\u2122s"}, "its answer looks like encoding damage"),
        ({"prompt": "bell \x07"}, "its prompt text contains a control character"),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_writing_refuses_a_question_that_would_not_read_back(fmt, changes, reason):
    question = bank.QuestionData(**{**BASE.__dict__, **changes})
    with pytest.raises(bank.Unrepresentable) as info:
        bank.serialise([question], fmt)
    assert info.value.key == "k"
    assert info.value.reason.startswith(reason), info.value.reason


@pytest.mark.parametrize(
    ("filename", "fmt"),
    [("Bank.MD", "markdown"), ("a.b.csv", "csv"), ("x.json", "json")]
    + [("bank.xlsx", None), ("README", None), ("bank.", None)],
)
def test_detect_format_goes_by_the_extension(filename, fmt):
    assert bank.detect_format(filename) == fmt


# CSV and JSON fields ----------------------------------------------------------------


def test_blank_csv_rows_are_skipped_and_positions_still_count_rows():
    text = "level,prompt,answer\n1,P?,A.\n,,\n\n2,Q?,B.\n"
    found = bank.parse_csv(text).questions
    # No "expected 3 cells" for the blank rows; a default position is the
    # row's number among the rows after the header, blank ones included.
    assert [(x.prompt, x.level, x.position, x.line) for x in found] == [
        ("P?", 1, 1, 2),
        ("Q?", 2, 4, 5),
    ]


JSON_ONE = '[\n  {{"level": 1, "prompt": "P?", "answer": "A.", {extra}}}\n]'


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('"key": 5', "expected the key as text, found 5"),
        ('"key": "Bad Key"', "expected a key of letters, digits"),
        ('"is_active": "sometimes"', "expected active to be yes or no"),
        ('"is_active": 1', "expected is_active to be true or false, found 1"),
        ('"sources": 5', "expected sources as a list, found 5"),
        ('"sources": ["ok", 5]', "expected each source as one line"),
        ('"topics": ["A;B"]', "a topic name cannot contain ';'"),
        ('"verified_on": "soon"', "expected the verified date as YYYY-MM-DD"),
        ('"key_points": "must: x"', "expected 2 to 7 key points (must/point), found 1"),
        ('"key_points": 3', "expected key_points as a list, found 3"),
        ('"key_points": ["must: a"]', "expected each key point as an object"),
        ('"key_points": [{"statement": "a", "colour": 1}]', "expected each key point"),
        (
            '"key_points": [{"statement": "a", "aliases": "b"}]',
            "expected a key point's statement and aliases as text",
        ),
        (
            '"key_points": [{"statement": "a", "must": "yes"}]',
            "expected a key point's statement and aliases as text",
        ),
        (
            '"key_points": [{"statement": "a", "must": true, "wrong": true}]',
            "a key point cannot be both must and wrong",
        ),
        (
            '"key_points": [{"statement": "a | b"}, {"statement": "c"}]',
            "expected '| also: alias; alias' after the statement",
        ),
    ],
)
def test_a_bad_json_field_is_reported_on_its_question_line(extra, expected):
    found = problems(JSON_ONE.format(extra=extra), "json")
    assert any(n == 2 and m.startswith(expected) for n, m in found), found


def test_json_key_points_read_as_objects():
    points = (
        '[{"statement": "retrieves documents", "aliases": ["retrieval"], "must": true},'
        ' {"statement": "generates an answer"},'
        ' {"statement": "it retrains the model", "wrong": true}]'
    )
    (found,) = bank.parse_json(
        JSON_ONE.format(extra=f'"key_points": {points}')
    ).questions
    assert found.key_points == (
        KP("retrieves documents", ("retrieval",), is_must=True),
        KP("generates an answer"),
        KP("it retrains the model", is_misconception=True),
    )


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ('"must: a\nmusts: b"', "expected 'must:', 'point:' or 'wrong:'"),
        ('"must: a\nmust: A"', "two key points have the same statement"),
        ('"must: a\npoint: b"', None),
    ],
)
def test_csv_key_points_are_one_per_line(cells, expected):
    text = f"level,prompt,answer,key_points\n1,P?,A.,{cells}\n"
    if expected is None:
        (found,) = bank.parse_csv(text).questions
        assert found.key_points == (KP("a", is_must=True), KP("b"))
    else:
        assert any(n == 2 and m.startswith(expected) for n, m in problems(text, "csv"))


# Markdown meta lines and keys -------------------------------------------------------


@pytest.mark.parametrize(
    ("meta", "line", "expected"),
    [
        (
            "<!-- source: " + "s" * 501 + " -->\n",
            3,
            "expected a source of at most 500 characters after 'source:'",
        ),
        (
            "<!-- verified: 2026-01-01 -->\n<!-- verified: 2026-01-02 -->\n",
            4,
            "expected one verified line per question",
        ),
        (
            "".join(f"<!-- source: S{i} -->\n" for i in range(11)),
            3,
            "expected at most 10 source lines per question",
        ),
        ("<!-- topics: A -->\nstray text\n", 3, "after the topics and sources"),
    ],
)
def test_bad_markdown_meta_is_reported_and_nothing_parsed(meta, line, expected):
    text = f"## Basic\n\n{meta}**Q1: Why?**\n**A:** Because.\n"
    found = problems(text, "markdown")
    assert any(n == line and expected in m for n, m in found), found


def test_markdown_ten_sources_are_kept_in_order():
    sources = "".join(f"<!-- source: S{i} -->\n" for i in range(10))
    text = f"## Basic\n\n{sources}**Q1: Why?**\n**A:** Because.\n"
    (found,) = bank.parse_markdown(text).questions
    assert found.sources == tuple(f"S{i}" for i in range(10))


def test_markdown_refuses_to_write_a_key_that_is_not_a_slug():
    question = bank.QuestionData(**{**BASE.__dict__, "key": "Not a slug"})
    with pytest.raises(
        bank.Unrepresentable, match="its key 'Not a slug' is not a slug"
    ):
        bank.write_markdown([question])

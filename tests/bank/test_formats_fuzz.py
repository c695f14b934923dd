"""Hypothesis against the bank formats: any input is read or refused cleanly,
and whatever is written reads back the same."""

import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cards.bank import formats as bank
from cards.bank.formats.core import KEY_RE, MAX_ANSWER, MAX_POSITION, MAX_PROMPT
from tests.bank.test_formats import SEED

PIECES = [
    "## Basic",
    "## Advanced",
    "## Other",
    "#  Title",
    "**Q1: What?**",
    "**Q22: Why **bold**?**",
    "**Q3 broken**",
    "**A:**",
    "**A:** text",
    "**A: wrong**",
    "<!-- key: k-1 -->",
    "<!-- key: k-1; inactive -->",
    "<!-- key: bad key -->",
    "```",
    "```python",
    "~~~~",
    "*   **item:** x",
    "Itâ€™s",
    "\ufffd",
    "\x00",
    "\x07",
    "",
    "   ",
    "\t",
    "level,prompt,answer",
    '1,"a',
    '[{"level": 1, "prompt": "p", "answer": "a"}]',
    "{",
    "]",
]
line = st.one_of(st.sampled_from(PIECES), st.text(max_size=30))
# Printable text: no surrogates and no control characters but tab and newline.
printable = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n"),
    max_size=30,
)
one_line = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30)
qa_blocks = st.builds(
    "<!-- key: {} -->\n**Q{}: {}**\n**A:** {}\n".format,
    st.from_regex(r"[a-z0-9-]{1,8}", fullmatch=True),
    st.integers(0, 99),
    one_line,
    one_line,
)
blocks = st.one_of(
    st.sampled_from(["## Basic", "## Intermediate", "## Advanced"]),
    qa_blocks,
    qa_blocks,
    line,
)
documents = st.lists(blocks, max_size=25).map("\n".join)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def assert_storable(result: bank.ParseResult) -> None:
    keys = [q.key for q in result.questions]
    assert len(keys) == len(set(keys))
    for q in result.questions:
        assert KEY_RE.match(q.key) and len(q.key) <= 80
        assert q.level in (1, 2, 3)
        assert 0 <= q.position <= MAX_POSITION
        for text, limit in ((q.prompt, MAX_PROMPT), (q.answer, MAX_ANSWER)):
            assert text and text == text.strip() and len(text) <= limit
            assert not CONTROL.search(text) and "\ufffd" not in text
            assert "â€" not in text and "\r" not in text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.sampled_from(bank.FORMATS))
def test_any_document_is_read_or_refused_with_bank_errors(text, fmt):
    try:
        result = bank.parse(text, fmt)
    except bank.BankError as exc:
        error = exc
    else:
        assert_storable(result)
        return
    assert error.problems and all(p.message for p in error.problems)


@given(st.binary(max_size=200))
def test_any_bytes_decode_or_are_refused(data):
    try:
        text = bank.decode(data)
    except bank.BankError:
        return
    assert "\x00" not in text and "\r" not in text


SEED_LINES = SEED.read_text("utf-8").split("\n")


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["drop", "dup", "insert", "cut"]),
            st.integers(0, len(SEED_LINES) - 1),
            line,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_mangled_seed_is_read_or_refused(edits):
    lines = list(SEED_LINES)
    for op, at, piece in edits:
        at = min(at, len(lines) - 1) if lines else 0
        if op == "drop" and lines:
            del lines[at]
        elif op == "dup" and lines:
            lines.insert(at, lines[at])
        elif op == "insert":
            lines.insert(at, piece)
        elif lines:
            lines[at] = lines[at][: len(lines[at]) // 2]
    try:
        result = bank.parse_markdown("\n".join(lines))
    except bank.BankError:
        return
    assert_storable(result)


# Round trips -------------------------------------------------------------------

texty = st.lists(
    # Mostly prose, sometimes a line that looks like the format's structure.
    st.one_of(*[printable] * 6, st.sampled_from(PIECES[:17])),
    min_size=1,
    max_size=6,
).map(lambda parts: "\n".join(parts).strip())
# Not "Q1." or "Q2:" at the start: the Markdown format reads that as a mistyped
# question line, so its writer refuses it (tests/bank/test_formats.py).
plain = st.from_regex(
    r"[A-Za-z][A-Za-z0-9 ,.?()'*_`-]{0,40}[A-Za-z0-9?.)]", fullmatch=True
).filter(lambda text: not re.match(r"Q[0-9]+[ \t]*[:.)]", text))
keys = st.from_regex(r"[a-z0-9][-a-z0-9_]{0,30}", fullmatch=True)


def question_lists(text: st.SearchStrategy) -> st.SearchStrategy:
    one = st.builds(
        bank.QuestionData,
        key=keys,
        level=st.sampled_from([1, 2, 3]),
        position=st.integers(0, MAX_POSITION),
        prompt=text,
        answer=text,
        is_active=st.booleans(),
    )
    return st.lists(one, max_size=6, unique_by=lambda q: q.key)


@settings(max_examples=300)
@given(question_lists(texty), st.sampled_from(bank.FORMATS))
def test_whatever_is_written_reads_back_the_same(questions, fmt):
    assume(all(q.prompt and q.answer for q in questions))
    try:
        text = bank.serialise(questions, fmt)
    except bank.Unrepresentable as exc:
        refused = exc
    else:
        assert bank.parse(text, fmt).questions == tuple(bank.core.ordered(questions))
        return
    assert refused.key in {q.key for q in questions} and refused.reason


@given(question_lists(plain), st.sampled_from(bank.FORMATS))
def test_ordinary_text_is_always_written(questions, fmt):
    text = bank.serialise(questions, fmt)
    assert bank.parse(text, fmt).questions == tuple(bank.core.ordered(questions))


@given(
    question_lists(plain).filter(bool),
    st.sampled_from(["Itâ€™s", "nul \x00", "bell \x07", "\ufffd"]),
    st.sampled_from(bank.FORMATS),
)
def test_damaged_text_is_never_written(questions, damage, fmt):
    damaged = [replace(questions[0], answer=f"{questions[0].answer} {damage}")]
    with pytest.raises(bank.Unrepresentable) as info:
        bank.serialise(damaged + questions[1:], fmt)
    assert info.value.key == questions[0].key

"""Parsing and writing question bank files (cards/bank): no database."""

import json
from datetime import date

import pytest

from cards.bank import formats as bank
from cards.models import make_key
from tests.paths import ROOT, SEED

FIXTURE = ROOT / "fixtures" / "questions.json"
SHARED_SEED = [
    folder / "shared" / "seed" / "000_567c23adb5ac1951.txt"
    for folder in (ROOT.parent, ROOT.parent.parent)
]


def fixture_questions() -> list[dict]:
    return [item["fields"] for item in json.loads(FIXTURE.read_text("utf-8"))]


def q(key="k", level=1, position=1, prompt="P?", answer="A.", is_active=None):
    return bank.QuestionData(key, level, position, prompt, answer, is_active)


def problems(text: str, fmt: str = "markdown") -> list[tuple[int, str]]:
    with pytest.raises(bank.BankError) as info:
        bank.parse(text, fmt)
    return [(p.line, p.message) for p in info.value.problems]


MINIMAL = "## Basic\n\n**Q1: What is RAG?**\n**A:** Retrieval-augmented generation.\n"


# The seed ---------------------------------------------------------------------


def test_seed_copy_is_the_shared_seed():
    shared = [path for path in SHARED_SEED if path.exists()]
    if not shared:
        pytest.skip("no shared/ folder beside this checkout")
    assert SEED.read_bytes() == shared[0].read_bytes()


def test_seed_parses_to_exactly_the_fixture():
    result = bank.parse_markdown(bank.decode(SEED.read_bytes()))
    got = [
        {"key": x.key, "level": x.level, "position": x.position}
        | {"prompt": x.prompt, "answer": x.answer}
        for x in result.questions
    ]
    expected = [
        {k: f[k] for k in ("key", "level", "position", "prompt", "answer")}
        for f in fixture_questions()
    ]
    assert got == expected
    assert all(x.is_active is None for x in result.questions)  # the seed is silent
    assert [(r.line, r.message) for r in result.repairs] == [
        (50, "repaired encoding damage in the answer: 'â€™' -> \"'\"")
    ]


def test_keys_default_to_make_key_and_a_key_comment_overrides():
    text = (
        "## Intermediate\n<!-- key: rag -->\n**Q7: What is RAG?**\n**A:** R.\n\n"
        "**Q8: What is LoRA?**\n**A:** L.\n"
    )
    found = bank.parse_markdown(text).questions
    assert [(x.key, x.level, x.position, x.is_active) for x in found] == [
        ("rag", 2, 7, True),
        (make_key("What is LoRA?"), 2, 8, None),
    ]


def test_inactive_marker_and_multiline_prompt():
    text = (
        "## Advanced\n<!-- key: code; inactive -->\n**Q1: What does this print?**\n"
        "```python\n## not a heading\nprint(1)\n```\n**A:**\n```\n**A:** 1\n```\n"
    )
    (found,) = bank.parse_markdown(text).questions
    assert found.is_active is False
    assert (
        found.prompt
        == "What does this print?\n```python\n## not a heading\nprint(1)\n```"
    )
    assert found.answer == "```\n**A:** 1\n```"


def test_windows_newlines_and_a_bom_are_accepted():
    data = ("\ufeff" + MINIMAL).replace("\n", "\r\n").encode("utf-8")
    (found,) = bank.parse_markdown(bank.decode(data)).questions
    assert found.answer == "Retrieval-augmented generation."


# Malformed Markdown: file, line, expected --------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("**Q1: Where is the level?**\n**A:** x\n", 1, "expected a level heading"),
        ("## Expert\n**Q1: P?**\n**A:** x\n", 1, "found '## Expert'"),
        ("## Basic\n**Q1: P?**\n\n**Q2: R?**\n**A:** x\n", 2, "Q1 has no answer"),
        ("## Basic\n**Q1: P?**\n**A:**\n", 3, "expected a non-empty answer"),
        ("## Basic\n**Q1:   **\n**A:** x\n", 2, "expected a non-empty prompt"),
        ("## Basic\n**A:** orphan\n", 2, "before this answer"),
        ("## Basic\n**Q1: P?**\n**A:** x\n**A:** y\n", 4, "already has an answer"),
        ("## Basic\n**Q1 P?**\n**A:** x\n", 2, "expected a question line"),
        (
            "## Basic\n**Q1: P?**\n**A:** x\nQ2: sneaky?\nmore\n",
            4,
            "expected a question line",
        ),
        ("## Basic\n**Q1: P?**\n**A: x**\n", 3, "expected '**A:**'"),
        (
            "## Basic\nSome intro text\n**Q1: P?**\n**A:** x\n",
            2,
            "expected a question line",
        ),
        ("## Basic\n<!-- key: Bad Key -->\n**Q1: P?**\n**A:** x\n", 2, "key comment"),
        ("## Basic\n<!-- key: k -->\n\n## Advanced\n", 2, "after the key comment"),
        ("## Basic\n**Q1: P?**\n**A:** ```\ncode\n", 3, "never closed"),
        ("## Basic\n**Q99999999999: P?**\n**A:** x\n", 2, "expected a position"),
        ("## Basic\n**Q1: P?**\n**A:** x\n\n**Q2: P?**\n**A:** y\n", 5, "already used"),
        ("## Basic\n**Q1: P?**\n**A:** bell \x07 here\n", 3, "U+0007"),
        ("## Basic\n**Q1: P?**\n**A:** broken \ufffd text\n", 3, "U+FFFD"),
        (
            "## Basic\n**Q1: " + "p" * 2001 + "**\n**A:** x\n",
            2,
            "at most 2,000",
        ),
    ],
)
def test_malformed_markdown_is_reported_with_its_line(text, line, expected):
    found = problems(text)
    assert any(n == line and expected in m for n, m in found), found


def test_every_problem_is_reported_not_only_the_first():
    text = "## Basic\n**Q1: P?**\n\n**Q2 R?**\n**A:** x\n## Nope\n"
    # Line 5 is an answer left without its (malformed) question.
    assert [n for n, _ in problems(text)] == [2, 4, 5, 6]


def test_problem_describes_file_and_line():
    with pytest.raises(bank.BankError) as info:
        bank.parse("## Basic\n**Q1: P?**\n", "markdown")
    assert info.value.problems[0].describe("bank.md").startswith("bank.md, line 2: ")


def test_decode_reports_bad_utf8_with_line_and_column():
    with pytest.raises(bank.BankError) as info:
        bank.decode(b"## Basic\n**Q1: caf\xe9?**\n")
    (problem,) = info.value.problems
    assert (problem.line, problem.message) == (
        2,
        "byte 0xE9 at column 10 is not UTF-8; expected a file saved as UTF-8",
    )


def test_decode_rejects_nul_bytes_and_huge_files():
    with pytest.raises(bank.BankError, match="NUL byte at column 4"):
        bank.decode(b"## Basic\nabc\x00\n")
    with pytest.raises(bank.BankError, match="at most 1,000,000"):
        bank.decode(b"x" * (bank.MAX_FILE_BYTES + 1))


def test_json_nul_escape_is_rejected():
    text = '[{"level": 1, "prompt": "P?", "answer": "a\\u0000b"}]'
    assert any("NUL" in m for _, m in problems(text, "json"))


# CSV and JSON --------------------------------------------------------------------


def test_csv_reads_labels_numbers_and_optional_columns():
    text = (
        "Level,Prompt,Answer,Key,Active\n"
        'Advanced,"What is RAG?","* one\n* two",rag,no\n'
        "2,What is LoRA?,Low-rank adaptation.,,\n"
    )
    found = bank.parse_csv(text).questions
    assert [
        (x.key, x.level, x.position, x.answer, x.is_active, x.line) for x in found
    ] == [
        ("rag", 3, 1, "* one\n* two", False, 2),
        (make_key("What is LoRA?"), 2, 2, "Low-rank adaptation.", None, 4),
    ]


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("prompt,answer\nP?,A\n", 1, "expected a header row"),
        ("level,prompt,answer,colour\n", 1, "expected a header row"),
        ("level,prompt,answer\nExpert,P?,A\n", 2, "expected a level"),
        ("level,prompt,answer\n1,P?\n", 2, "expected 3 cells"),
        ("level,prompt,answer,position\n1,P?,A,-3\n", 2, "expected a position"),
        ("level,prompt,answer,active\n1,P?,A,maybe\n", 2, "yes or no"),
        ('level,prompt,answer\n1,"P?\nstill P",A\n3,Q?,\n', 4, "non-empty answer"),
        ('level,prompt,answer\n1,"unclosed,A\n', 2, "expected a CSV row"),
    ],
)
def test_malformed_csv_is_reported_with_its_line(text, line, expected):
    found = problems(text, "csv")
    assert any(n == line and expected in m for n, m in found), found


def test_json_reads_the_fixture_and_flat_objects():
    flat = (
        '[\n  {"level": "Basic", "prompt": "P?", "answer": "A.", "is_active": false}\n]'
    )
    (found,) = bank.parse_json(flat).questions
    assert (found.key, found.level, found.position, found.is_active) == (
        "p",
        1,
        1,
        False,
    )
    fixture = bank.parse_json(FIXTURE.read_text("utf-8")).questions
    assert [x.key for x in fixture] == [f["key"] for f in fixture_questions()]


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ('{"level": 1}', 1, "expected a JSON list"),
        (
            '[\n{"level": 1, "prompt": "P?", "answer": "A"},\n{"levl": 1}\n]',
            3,
            "unknown field",
        ),
        ('[\n  {"level": 1, "prompt": "P?", "answer": 5}\n]', 2, "expected text"),
        (
            '[\n  {"level": true, "prompt": "P?", "answer": "A"}\n]',
            2,
            "expected a level",
        ),
        (
            '[\n  {"level": 1, "prompt": "P?", "answer": "A",}\n]',
            2,
            "expected a JSON value",
        ),
        ('[{"model": "auth.user", "fields": {}}]', 1, "cards.question"),
        ("[1] trailing", 1, "expected the end"),
        ("[" * 100_000, 1, "deep nesting"),
    ],
)
def test_malformed_json_is_reported_with_its_line(text, line, expected):
    found = problems(text, "json")
    assert any(n == line and expected in m for n, m in found), found


# Writing ------------------------------------------------------------------------


BANK = [
    q("rag", 2, 4, "What is RAG?", "Retrieval-augmented generation.", True),
    q("lists", 1, 2, "Name two.", "* one\n* two\n\n  indented", True),
    q("old", 3, 9, "Retired?", "```python\n## comment\nx = 1\n```", False),
    q("code", 3, 10, "What does\n```\nprint(1)\n```\nprint?", "It prints 1.", True),
]


@pytest.mark.parametrize("fmt", bank.FORMATS)
def test_round_trip_keeps_every_field(fmt):
    assert bank.parse(bank.serialise(BANK, fmt), fmt).questions == tuple(
        sorted(BANK, key=lambda x: (x.level, x.position, x.key))
    )


def test_markdown_export_looks_like_the_seed():
    text = bank.write_markdown(BANK)
    assert text.startswith(
        "# GenAI Prep question bank\n\n## Basic\n\n<!-- key: lists -->\n"
    )
    assert "**Q2: Name two.**\n**A:**\n* one\n" in text
    assert "<!-- key: old; inactive -->\n**Q9: Retired?**" in text


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("Fine\n## Heading", "would be read as question structure"),
        ("Fine\n**Q3: hidden?**", "would be read as question structure"),
        ("Q0.", "would be read as question structure"),  # a near miss of **Q1:
        ("```\nnever closed", "never closed"),
        ("Itâ€™s damaged", "looks like encoding damage"),
    ],
)
def test_markdown_refuses_text_it_cannot_carry(answer, reason):
    with pytest.raises(bank.Unrepresentable, match=reason) as info:
        bank.write_markdown([q(answer=answer)])
    assert info.value.key == "k"


def test_plan_counts_and_changed_fields():
    stored = {"a": q("a", answer="old", is_active=True), "b": q("b", is_active=True)}
    incoming = [q("a", answer="new"), q("b"), q("c")]
    plan = bank.plan_import(incoming, stored, bank_size=3)
    assert plan.counts == {"create": 1, "update": 1, "unchanged": 1}
    assert plan.of("update")[0].fields == ("answer",)
    assert plan.not_in_file == 1
    assert plan.summary() == "1 created, 1 updated, 1 unchanged"


def test_a_silent_file_leaves_retirement_alone():
    stored = {"a": q("a", is_active=False)}
    assert bank.plan_import([q("a")], stored).counts["unchanged"] == 1
    assert bank.plan_import([q("a", is_active=True)], stored).of("update")[
        0
    ].fields == ("is_active",)


# Topics, sources, verified date (issue 16) ------------------------------------

FULL = q("rag-full", 2, 3, "What is RAG?", "Retrieval, then generation.", True)
FULL = bank.QuestionData(
    **{
        **FULL.__dict__,
        "key_points": (
            bank.KeyPointData("retrieve then generate", ("RAG",), is_must=True),
            bank.KeyPointData("grounds the answer"),
            bank.KeyPointData("it retrains the model", is_misconception=True),
        ),
        "topics": ("Retrieval & RAG", "Agents & tool use"),
        "sources": ("Lewis et al. 2020, https://arxiv.org/abs/2005.11401", "Docs"),
        "verified_on": date(2026, 12, 1),
    }
)


@pytest.mark.parametrize("fmt", bank.FORMATS)
def test_round_trip_keeps_topics_key_points_sources_and_date(fmt):
    (back,) = bank.parse(bank.serialise([FULL], fmt), fmt).questions
    assert back == FULL
    assert back.topics == FULL.topics and back.sources == FULL.sources


def test_markdown_reads_the_packs_comment_lines_and_keeps_them_out_of_answers():
    text = (
        "## Basic\n\n<!-- key: k -->\n<!-- topics: Foundations; Evaluation -->\n"
        "<!-- source: Paper A, 2020 -->\n<!-- source: Docs B -->\n"
        "<!-- verified: 2026-12-01 -->\n**Q1: Why?**\n**A:** Because.\n\n"
        "<!-- must: one | also: 1 -->\n<!-- point: two -->\n\n"
        "<!-- topics: Evaluation -->\n**Q2: And?**\n**A:** So.\n"
    )
    first, second = bank.parse_markdown(text).questions
    assert first.answer == "Because." and second.answer == "So."
    assert first.topics == ("Foundations", "Evaluation")
    assert first.sources == ("Paper A, 2020", "Docs B")
    assert first.verified_on == date(2026, 12, 1)
    assert (second.key, second.topics, second.sources) == ("and", ("Evaluation",), None)


def test_every_pack_question_parses_with_topics_sources_and_date():
    for path in sorted((ROOT / "fixtures" / "packs").glob("*.md")):
        if path.name == "REVIEW.md":
            continue
        for x in bank.parse_markdown(path.read_text("utf-8")).questions:
            assert "<!--" not in x.answer and "<!--" not in x.prompt, x.key
            assert x.topics and x.sources and x.verified_on, x.key
            assert x.key_points, x.key


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("<!-- verified: 2026-13-01 -->\n", 3, "expected the verified date as YYYY"),
        ("<!-- topics: -->\n", 3, "expected at least one topic name"),
        ("<!-- topic: A -->\n", 3, "expected '<!-- topics: A; B -->'"),
        ("<!-- topics: A -->\n<!-- topics: B -->\n", 4, "one topics line"),
    ],
)
def test_malformed_meta_lines_are_reported_with_their_line(text, line, expected):
    source = f"## Basic\n\n{text}**Q1: Why?**\n**A:** Because.\n"
    with pytest.raises(bank.BankError) as caught:
        bank.parse_markdown(source)
    assert caught.value.problems[0].line == line
    assert expected in caught.value.problems[0].message


def test_meta_lines_must_precede_a_question():
    with pytest.raises(bank.BankError, match="after the topics and sources"):
        bank.parse_markdown("## Basic\n\n<!-- topics: A -->\n\n## Advanced\n")


@pytest.mark.parametrize(
    ("fmt", "text", "expected"),
    [
        ("csv", "level,prompt,answer,verified\nBasic,P?,A.,yesterday\n", "YYYY-MM-DD"),
        (
            "json",
            '[{"level": 1, "prompt": "P?", "answer": "A.", "topics": 3}]',
            "topics",
        ),
        (
            "json",
            '[{"level": 1, "prompt": "P?", "answer": "A.", "sources": ["a\\nb"]}]',
            "one line",
        ),
    ],
)
def test_bad_meta_in_csv_and_json_is_an_error(fmt, text, expected):
    with pytest.raises(bank.BankError, match=expected):
        bank.parse(text, fmt)


def test_topics_compare_as_a_set_in_the_plan():
    old = bank.QuestionData(**{**FULL.__dict__, "topics": ("A", "B")})
    new = bank.QuestionData(**{**FULL.__dict__, "topics": ("b", "a")})
    assert bank.changed_fields(old, new) == ()
    newer = bank.QuestionData(**{**FULL.__dict__, "topics": ("A",)})
    assert bank.changed_fields(old, newer) == ("topics",)

"""Question bank files: read and write Markdown (the seed's format), CSV and JSON.

Pure code: text in, `QuestionData` out (and back); the database writes live in
`cards/bank_services.py`. Every problem carries the line it was found on.

Matching key: a question's `key` comes from the file when the file gives one
(Markdown: a `<!-- key: slug -->` line above the question; CSV: a `key` column;
JSON: a `key` field), else it is `make_key(prompt)`. Imports match stored
questions by that key and update them in place.
"""

from cards.bank.formats.core import (
    EXTENSIONS,
    MAX_FILE_BYTES,
    BankError,
    KeyPointData,
    ParseResult,
    Problem,
    QuestionData,
    Unrepresentable,
    decode,
    detect_format,
    parse_key_point,
    parse_sources,
    parse_topics,
    parse_verified,
    text_problem,
)
from cards.bank.formats.markdown import parse_markdown, write_markdown
from cards.bank.formats.plan import Change, ImportPlan, changed_fields, plan_import
from cards.bank.formats.tabular import parse_csv, parse_json, write_csv, write_json

FORMATS = ("markdown", "csv", "json")
PARSERS = {"markdown": parse_markdown, "csv": parse_csv, "json": parse_json}
WRITERS = {"markdown": write_markdown, "csv": write_csv, "json": write_json}


def parse(text: str, fmt: str) -> ParseResult:
    return PARSERS[fmt](text)


def serialise(questions: list[QuestionData], fmt: str) -> str:
    return WRITERS[fmt](questions)


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "MAX_FILE_BYTES",
    "BankError",
    "Change",
    "KeyPointData",
    "ImportPlan",
    "ParseResult",
    "Problem",
    "QuestionData",
    "Unrepresentable",
    "changed_fields",
    "decode",
    "detect_format",
    "parse",
    "parse_csv",
    "parse_json",
    "parse_key_point",
    "parse_markdown",
    "parse_sources",
    "parse_topics",
    "parse_verified",
    "plan_import",
    "serialise",
    "text_problem",
    "write_csv",
    "write_json",
    "write_markdown",
]

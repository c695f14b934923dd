"""Shared pieces of the bank formats: the parsed question, problems, text checks."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import ftfy

from cards.models import KEY_MAX_LENGTH, Level

MAX_FILE_BYTES = 1_000_000
MAX_PROMPT = 2_000  # Question.prompt max_length
MAX_ANSWER = 20_000  # Question.answer max_length
MAX_POSITION = 2_147_483_647  # PositiveIntegerField on PostgreSQL
MAX_PROBLEMS = 50
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".txt": "markdown"}
EXTENSIONS |= {".csv": "csv", ".json": "json"}

KEY_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
LEVELS = {label.lower(): value for value, label in Level.choices}
# C0 controls other than tab and newline: PostgreSQL refuses NUL outright, and
# the others are invisible in the admin and in every export.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class KeyPointData:
    statement: str
    aliases: tuple[str, ...] = ()
    is_must: bool = False
    is_misconception: bool = False

    @property
    def kind(self) -> str:
        return "wrong" if self.is_misconception else "must" if self.is_must else "point"

    def as_line(self) -> str:
        """The key point in the bank's one text syntax: `must: s | also: a; b`."""
        also = f" | also: {'; '.join(self.aliases)}" if self.aliases else ""
        return f"{self.kind}: {self.statement}{also}"


KEY_POINT_KINDS = ("must", "point", "wrong")
KEY_POINT_MAX = 300
ALIAS_MAX = 80
MAX_KEY_POINTS = 7  # positive points per question (the 2-7)
MAX_MISCONCEPTIONS = 5
POINT_RE = re.compile(r"^(must|point|wrong):[ \t]*(.*)$")


def parse_key_point(text: str) -> KeyPointData | str:
    """`must: statement | also: alias; alias` -> the point, or what is wrong."""
    m = POINT_RE.match(text.strip())
    if not m:
        return f"expected 'must:', 'point:' or 'wrong:' and a statement, found {text[:80]!r}"
    kind, rest = m.groups()
    statement, _, also = rest.partition("|")
    statement = statement.strip()
    aliases: tuple[str, ...] = ()
    if also.strip():
        label, colon, names = also.strip().partition(":")
        if label.strip() != "also" or not colon:
            return f"expected '| also: alias; alias' after the statement, found {also.strip()[:60]!r}"
        aliases = tuple(a.strip() for a in names.split(";") if a.strip())
        if not aliases:
            return "expected at least one alias after 'also:'"
    problem = None
    if not statement:
        problem = f"expected a statement after '{kind}:'"
    elif len(statement) > KEY_POINT_MAX:
        problem = f"key point has {len(statement)} characters; at most {KEY_POINT_MAX}"
    elif CONTROL_RE.search(statement + "".join(aliases)) or "-->" in rest:
        problem = "key point contains a control character or '-->'"
    elif any(len(a) > ALIAS_MAX or "|" in a for a in aliases):
        problem = f"aliases are at most {ALIAS_MAX} characters, without '|'"
    if problem:
        return problem
    return KeyPointData(
        statement=statement,
        aliases=aliases,
        is_must=kind == "must",
        is_misconception=kind == "wrong",
    )


def key_points_problem(points: Sequence[KeyPointData]) -> str | None:
    positive = sum(1 for p in points if not p.is_misconception)
    wrong = len(points) - positive
    if not 2 <= positive <= MAX_KEY_POINTS:
        return (
            f"expected 2 to {MAX_KEY_POINTS} key points (must/point), found {positive}"
        )
    if wrong > MAX_MISCONCEPTIONS:
        return f"expected at most {MAX_MISCONCEPTIONS} misconceptions, found {wrong}"
    statements = [p.statement.lower() for p in points]
    if len(set(statements)) != len(statements):
        return "two key points have the same statement"
    return None


def key_points_unrepresentable(points: Sequence[KeyPointData] | None) -> str | None:
    """Why these stored key points would not read back the same, or None."""
    for point in points or ():
        if parse_key_point(point.as_line()) != point:
            return f"its key point {point.statement[:60]!r} uses '|', ';' or '-->'"
    return None


@dataclass(frozen=True)
class QuestionData:
    key: str
    level: int
    position: int
    prompt: str
    answer: str
    # None when the file does not say: new questions start active and existing
    # ones keep their state, so an old file cannot undo a retirement.
    is_active: bool | None = None
    line: int = field(default=0, compare=False)
    # None when the file does not say (the seed): stored key points stay.
    key_points: tuple[KeyPointData, ...] | None = None
    # Issue 16; None when the file does not say: the stored values stay.
    topics: tuple[str, ...] | None = None  # topic names
    sources: tuple[str, ...] | None = None  # one source each
    verified_on: date | None = None


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def describe(self, filename: str) -> str:
        where = f"{filename}, line {self.line}" if self.line else filename
        return f"{where}: {self.message}"


class BankError(ValueError):
    """A file that cannot be imported; `problems` says where and why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.describe("file") for p in self.problems[:3]))


class Unrepresentable(ValueError):
    """A stored question that a format cannot carry without changing it."""

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"question {key!r}: {reason}")


@dataclass(frozen=True)
class ParseResult:
    questions: tuple[QuestionData, ...]
    repairs: tuple[Problem, ...] = ()


class Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.repairs: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def finish(self, questions: Iterable[QuestionData]) -> ParseResult:
        found = list(questions)
        seen: dict[str, int] = {}
        for q in found:
            if q.key in seen:
                self.error(
                    q.line,
                    f"key {q.key!r} is already used by the question on line "
                    f"{seen[q.key]}; give one of them its own key",
                )
            seen.setdefault(q.key, q.line)
        if self.problems:
            raise BankError(sorted(self.problems, key=lambda p: p.line)[:MAX_PROBLEMS])
        return ParseResult(tuple(found), tuple(self.repairs))


# Topics, sources, verified date (issue 16) -------------------------------------

TOPIC_MAX = 80
SOURCE_MAX = 500
MAX_SOURCES = 10


def parse_topics(value: str | Sequence[object]) -> tuple[str, ...] | str:
    """`A; B` (or a list of names) -> the names in order, or what is wrong."""
    names = value.split(";") if isinstance(value, str) else value
    found: list[str] = []
    for name in names:
        # A fixture's natural key, ["slug"]; services.topics_named takes slugs.
        if isinstance(name, list) and len(name) == 1:
            name = name[0]
        if not isinstance(name, str):
            return f"expected topic names as text, found {name!r}"[:120]
        name = " ".join(name.split())
        if not name:
            continue
        if len(name) > TOPIC_MAX or CONTROL_RE.search(name) or "-->" in name:
            return f"expected a topic name of at most {TOPIC_MAX} characters, found {name[:100]!r}"
        if ";" in name:
            return f"a topic name cannot contain ';', found {name[:100]!r}"
        if name.lower() not in {f.lower() for f in found}:
            found.append(name)
    if not found and isinstance(value, str):
        return "expected at least one topic name"
    return tuple(found)


def parse_source(value: object) -> str | None:
    """The source as stored, or None when it is not one line of text."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > SOURCE_MAX or CONTROL_RE.search(value):
        return None
    if "\n" in value or "-->" in value:
        return None
    return value


def parse_sources(values: Sequence[object]) -> tuple[str, ...] | str:
    found = []
    for value in values:
        source = parse_source(value)
        if source is None:
            return (
                f"expected each source as one line of at most {SOURCE_MAX} "
                f"characters, found {str(value)[:80]!r}"
            )
        found.append(source)
    if len(found) > MAX_SOURCES:
        return f"expected at most {MAX_SOURCES} sources, found {len(found)}"
    return tuple(found)


def parse_verified(value: object) -> date | str:
    if isinstance(value, str) and re.fullmatch(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()
    ):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    return f"expected the verified date as YYYY-MM-DD, found {str(value)[:40]!r}"


def meta_unrepresentable(q: QuestionData) -> str | None:
    """Why this question's topics or sources would not read back the same."""
    if q.topics and parse_topics(list(q.topics)) != tuple(q.topics):
        return "one of its topic names uses ';' or '-->' or extra spaces"
    if q.sources and parse_sources(list(q.sources)) != tuple(q.sources):
        return "one of its sources is not one line without '-->'"
    return None


# Text checks ------------------------------------------------------------------


def repair_line(line: str) -> str:
    """Undo UTF-8 read as Windows-1252 (`Itâ€™s`); repaired quotes come out ASCII,
    as in the shipped bank. Lines without such damage are returned unchanged."""
    fixed = ftfy.fix_encoding(line)
    if fixed == line:
        return line
    return ftfy.fixes.uncurl_quotes(fixed)


def _first_difference(old: str, new: str) -> str:
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, old, new, autojunk=False
    ).get_opcodes():
        if op != "equal":
            return f"{old[i1:i2]!r} -> {new[j1:j2]!r}"
    return ""


def clean_text(
    value: str, *, what: str, line: int, limit: int, out: Collector
) -> str | None:
    """Normalise newlines, repair encoding damage, strip; None after an error."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    ok = True
    lines = value.split("\n")
    for offset, text in enumerate(lines):
        bad = CONTROL_RE.search(text)
        if bad:
            name = "a NUL byte" if bad.group() == "\x00" else "a control character"
            out.error(
                line + offset,
                f"{what} contains {name} (U+{ord(bad.group()):04X}) at column "
                f"{bad.start() + 1}; expected printable text",
            )
            ok = False
            continue
        fixed = repair_line(text)
        if fixed != text:
            out.repairs.append(
                Problem(
                    line + offset,
                    f"repaired encoding damage in the {what}: "
                    f"{_first_difference(text, fixed)}",
                )
            )
            lines[offset] = fixed
        if "\ufffd" in lines[offset]:
            out.error(
                line + offset,
                f"{what} contains U+FFFD, the mark of text decoded with the wrong "
                "encoding; expected the original characters",
            )
            ok = False
    value = "\n".join(lines).strip()
    if not value:
        out.error(line, f"expected a non-empty {what}")
        return None
    if len(value) > limit:
        out.error(line, f"{what} has {len(value):,} characters; at most {limit:,}")
        return None
    return value if ok else None


def text_problem(value: str, *, limit: int) -> str | None:
    """Why `value` could not be stored as question text as it is, or None."""
    out = Collector()
    cleaned = clean_text(value, what="text", line=1, limit=limit, out=out)
    if out.problems:
        return out.problems[0].message
    if out.repairs:
        return out.repairs[0].message.replace("repaired", "looks like")
    if cleaned != value:
        return "has surrounding whitespace or Windows line endings"
    return None


def clean_key(value: str, *, line: int, out: Collector) -> str | None:
    if len(value) > KEY_MAX_LENGTH or not KEY_RE.match(value):
        out.error(
            line,
            f"expected a key of letters, digits, '-' or '_' (at most "
            f"{KEY_MAX_LENGTH}), found {value[:100]!r}",
        )
        return None
    return value


def parse_level(value: object, *, line: int, out: Collector) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value in Level:
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in LEVELS:
            return LEVELS[text]
        if text in {"1", "2", "3"}:
            return int(text)
    names = ", ".join(Level.labels)
    out.error(line, f"expected a level ({names} or 1-3), found {value!r}")
    return None


def parse_position(value: object, *, line: int, out: Collector) -> int | None:
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,10}", value.strip()):
        value = int(value.strip())
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if is_int and 0 <= value <= MAX_POSITION:
        return value
    out.error(line, f"expected a position from 0 to {MAX_POSITION}, found {value!r}")
    return None


def decode(data: bytes) -> str:
    """UTF-8 (a byte-order mark is dropped) with Unix newlines, or BankError."""
    if len(data) > MAX_FILE_BYTES:
        raise BankError(
            [
                Problem(
                    0, f"the file has {len(data):,} bytes; at most {MAX_FILE_BYTES:,}"
                )
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BankError(
            [
                Problem(
                    line,
                    f"byte 0x{data[exc.start]:02X} at column {column} is not "
                    "UTF-8; expected a file saved as UTF-8",
                )
            ]
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise BankError(
            [Problem(line, f"a NUL byte at column {column}; expected text")]
        )
    return text


def detect_format(filename: str) -> str | None:
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return EXTENSIONS.get(suffix)


def ordered(questions: Iterable[QuestionData]) -> list[QuestionData]:
    return sorted(questions, key=lambda q: (q.level, q.position, q.key))

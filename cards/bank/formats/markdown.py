"""The seed's Markdown: `## Level` headings, `**Qn: prompt**`, `**A:** answer`.

Keys travel in an HTML comment line above each question, which Markdown
viewers hide: `<!-- key: what-is-rag -->`, or `<!-- key: what-is-rag; inactive -->`
for a retired question. Key points follow the answer, one comment line each:
`<!-- must: statement | also: alias; alias -->` (weighs more), `<!-- point: ... -->`
and `<!-- wrong: a misconception -->`. Between the key line and the question,
`<!-- topics: A; B -->`, one `<!-- source: ... -->` line per source and
`<!-- verified: YYYY-MM-DD -->` (issue 16). Inside fenced code blocks no line
is structure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cards.bank.formats.core import (
    KEY_MAX_LENGTH,
    KEY_RE,
    LEVELS,
    MAX_ANSWER,
    MAX_POSITION,
    MAX_PROMPT,
    Collector,
    KeyPointData,
    ParseResult,
    QuestionData,
    Unrepresentable,
    clean_key,
    clean_text,
    key_points_problem,
    key_points_unrepresentable,
    meta_unrepresentable,
    ordered,
    parse_key_point,
    parse_position,
    parse_source,
    parse_topics,
    parse_verified,
    text_problem,
)
from cards.models import Level, make_key

TITLE = "# GenAI Prep question bank"

LEVEL_LINE = re.compile(r"^##(?!#)(.*)$")
KEY_LINE = re.compile(r"^<!--[ \t]*key:[ \t]*(.*?)[ \t]*-->[ \t]*$")
KEY_NEAR = re.compile(r"^[ \t]*<!--[ \t]*key\b", re.IGNORECASE)
POINT_LINE = re.compile(r"^<!--[ \t]*(.*?)[ \t]*-->[ \t]*$")
POINT_NEAR = re.compile(r"^[ \t]*<!--[ \t]*(must|point|wrong)\b", re.IGNORECASE)
META_LINE = re.compile(
    r"^<!--[ \t]*(topics|source|verified):[ \t]*(.*?)[ \t]*-->[ \t]*$"
)
META_NEAR = re.compile(r"^[ \t]*<!--[ \t]*(topics?|sources?|verified)\b", re.I)
KEY_BODY = re.compile(r"^([-a-zA-Z0-9_]+)(?:[ \t]*;[ \t]*(inactive))?$")
Q_LINE = re.compile(r"^\*\*Q([0-9]+):(.*)\*\*[ \t]*$")
Q_NEAR = re.compile(r"^(?:[ \t]*\*\*[ \t]*Q[ \t]*[0-9]|Q[0-9]+[ \t]*[:.)])")
A_LINE = re.compile(r"^\*\*A:\*\*(.*)$")
A_NEAR = re.compile(r"^[ \t]*\*\*[ \t]*A[ \t]*\**[ \t]*[:.)]")
FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")

Q_EXPECTED = "expected a question line '**Qn: prompt**'"
LEVEL_NAMES = " or ".join(f"'## {label}'" for label in Level.labels)


def _classify(line: str) -> str:
    """What a line means to the Markdown format, outside code fences."""
    if LEVEL_LINE.match(line):
        return "level"
    if KEY_LINE.match(line) or KEY_NEAR.match(line):
        return "key"
    if POINT_NEAR.match(line):
        return "point"
    if META_NEAR.match(line):
        return "meta"
    if Q_LINE.match(line):
        return "question"
    if Q_NEAR.match(line):
        return "near-question"
    if A_LINE.match(line):
        return "answer"
    if A_NEAR.match(line):
        return "near-answer"
    return "text"


class _Fence:
    """Tracks CommonMark fenced code blocks, inside which no line is structure."""

    def __init__(self) -> None:
        self.marker = ""
        self.line = 0

    def feed(self, text: str, line: int) -> None:
        if self.marker:
            stripped = text.strip(" \t")
            if (
                len(text) - len(text.lstrip(" ")) <= 3
                and stripped.startswith(self.marker)
                and set(stripped) == {self.marker[0]}
            ):
                self.marker = ""
            return
        m = FENCE_OPEN.match(text)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            self.marker, self.line = m.group(1), line


@dataclass
class _Block:
    number: int
    line: int
    level: int
    key: str | None
    key_line: int
    is_active: bool | None
    prompt: list[str]
    answer: list[str] | None = None
    answer_line: int = 0
    points: list[KeyPointData] | None = None
    points_line: int = 0
    meta: _Meta | None = None


@dataclass
class _Meta:
    """The topics, sources and verified date above a question."""

    line: int
    topics: tuple[str, ...] | None = None
    sources: list[str] | None = None
    verified: object = None  # a date


def _add_meta(meta: _Meta | None, line: str, number: int, out: Collector) -> _Meta:
    meta = meta or _Meta(line=number)
    m = META_LINE.match(line)
    if m is None:
        out.error(
            number,
            "expected '<!-- topics: A; B -->', '<!-- source: ... -->' or "
            f"'<!-- verified: YYYY-MM-DD -->', found {line[:120]!r}",
        )
        return meta
    what, value = m.groups()
    if what == "topics":
        topics = parse_topics(value)
        if meta.topics is not None:
            out.error(number, "expected one topics line per question")
        elif isinstance(topics, str):
            out.error(number, topics)
        else:
            meta.topics = topics
    elif what == "source":
        source = parse_source(value)
        if source is None:
            out.error(
                number, "expected a source of at most 500 characters after 'source:'"
            )
        else:
            meta.sources = [*(meta.sources or []), source]
    else:
        verified = parse_verified(value)
        if meta.verified is not None:
            out.error(number, "expected one verified line per question")
        elif isinstance(verified, str):
            out.error(number, verified)
        else:
            meta.verified = verified
    return meta


def _finish_block(block: _Block, out: Collector) -> QuestionData | None:
    if block.answer is None:
        out.error(
            block.line,
            f"question Q{block.number} has no answer: expected a line starting "
            "with '**A:**' after it",
        )
        return None
    prompt = clean_text(
        "\n".join(block.prompt),
        what="prompt",
        line=block.line,
        limit=MAX_PROMPT,
        out=out,
    )
    answer = clean_text(
        "\n".join(block.answer),
        what="answer",
        line=block.answer_line,
        limit=MAX_ANSWER,
        out=out,
    )
    position = parse_position(block.number, line=block.line, out=out)
    if block.points is not None:
        problem = key_points_problem(block.points)
        if problem:
            out.error(block.points_line, f"question Q{block.number}: {problem}")
            return None
    if prompt is None or answer is None or position is None:
        return None
    key = block.key or make_key(prompt)
    meta = block.meta or _Meta(line=0)
    if meta.sources and len(meta.sources) > 10:
        out.error(meta.line, "expected at most 10 source lines per question")
        return None
    return QuestionData(
        key=key,
        level=block.level,
        position=position,
        prompt=prompt,
        answer=answer,
        is_active=block.is_active,
        line=block.line,
        key_points=None if block.points is None else tuple(block.points),
        topics=meta.topics,
        sources=None if meta.sources is None else tuple(meta.sources),
        verified_on=meta.verified,
    )


def _add_point(block: _Block | None, line: str, number: int, out: Collector) -> None:
    if block is None or block.answer is None:
        out.error(number, "expected key point lines after a question's answer")
        return
    m = POINT_LINE.match(line)
    point = parse_key_point(m.group(1)) if m else "expected '<!-- must: ... -->'"
    if isinstance(point, str):
        out.error(number, point)
        return
    if block.points is None:
        block.points, block.points_line = [], number
    block.points.append(point)


def parse_markdown(text: str) -> ParseResult:  # noqa: C901 - one state machine
    out = Collector()
    found: list[QuestionData] = []
    level: int | None = None
    pending: tuple[str | None, bool | None, int] | None = None
    meta: _Meta | None = None
    block: _Block | None = None
    fence = _Fence()

    def close() -> None:
        nonlocal block
        if block is not None:
            data = _finish_block(block, out)
            if data is not None:
                found.append(data)
        block = None

    for number, line in enumerate(text.split("\n"), start=1):
        if block is not None and fence.marker:
            (block.prompt if block.answer is None else block.answer).append(line)
            fence.feed(line, number)
            continue
        kind = _classify(line)
        if kind in {"level", "key", "question"} and pending and kind != "question":
            out.error(pending[2], f"{Q_EXPECTED} after the key comment")
            pending = None
        if kind in {"level", "key"} and meta is not None:
            out.error(meta.line, f"{Q_EXPECTED} after the topics and sources")
            meta = None
        if kind == "level":
            close()
            name = LEVEL_LINE.match(line).group(1).strip().strip("#").strip()
            level = LEVELS.get(name.lower())
            if level is None:
                out.error(
                    number, f"expected a level heading {LEVEL_NAMES}, found {line!r}"
                )
        elif kind == "key":
            close()
            m = KEY_LINE.match(line)
            body = KEY_BODY.match(m.group(1)) if m else None
            if body is None:
                out.error(
                    number,
                    "expected a key comment '<!-- key: slug -->' or "
                    f"'<!-- key: slug; inactive -->', found {line[:120]!r}",
                )
                pending = (None, None, number)
            else:
                key = clean_key(body.group(1), line=number, out=out)
                pending = (key, not body.group(2), number)
        elif kind == "question":
            close()
            m = Q_LINE.match(line)
            digits = m.group(1)
            if level is None:
                out.error(number, f"expected a level heading ({LEVEL_NAMES}) first")
            key, is_active, key_line = pending or (None, None, 0)
            pending = None
            block_meta, meta = meta, None
            block = _Block(
                number=int(digits) if len(digits) <= 10 else MAX_POSITION + 1,
                line=number,
                level=level or Level.BASIC,
                key=key,
                key_line=key_line,
                is_active=is_active,
                prompt=[m.group(2).lstrip(" \t")],
                meta=block_meta,
            )
        elif kind == "near-question":
            close()
            out.error(
                number, f"{Q_EXPECTED} (bold, with a colon), found {line[:120]!r}"
            )
        elif kind == "point":
            _add_point(block, line, number, out)
        elif kind == "meta":
            # Above its question: it ends the question before.
            close()
            meta = _add_meta(meta, line, number, out)
        elif kind == "near-answer":
            out.error(
                number, f"expected '**A:**' to start the answer, found {line[:120]!r}"
            )
        elif kind == "answer":
            rest = A_LINE.match(line).group(1)
            if block is None:
                out.error(number, f"{Q_EXPECTED} before this answer")
            elif block.answer is not None:
                out.error(
                    number,
                    f"question Q{block.number} already has an answer (line "
                    f"{block.answer_line}); {Q_EXPECTED} first",
                )
            else:
                block.answer, block.answer_line = [rest], number
                fence.feed(rest, number)
        elif block is not None and block.points and line.strip():
            out.error(
                number,
                f"expected key point lines to end question Q{block.number}'s "
                f"answer, found text after them: {line[:80]!r}",
            )
        elif block is not None:
            (block.prompt if block.answer is None else block.answer).append(line)
            fence.feed(line, number)
        elif line.strip() and not (level is None and line.startswith("# ")):
            if meta is not None:
                out.error(meta.line, f"{Q_EXPECTED} after the topics and sources")
                meta = None
            elif pending:
                out.error(pending[2], f"{Q_EXPECTED} after the key comment")
                pending = None
            else:
                expected = (
                    f"expected a level heading {LEVEL_NAMES}"
                    if level is None
                    else Q_EXPECTED
                )
                out.error(number, f"{expected}, found {line[:120]!r}")
    if block is not None and fence.marker:
        out.error(fence.line, f"code fence {fence.marker!r} is never closed")
        block = None
    close()
    if pending:
        out.error(pending[2], f"{Q_EXPECTED} after the key comment")
    elif meta is not None:
        out.error(meta.line, f"{Q_EXPECTED} after the topics and sources")
    return out.finish(found)


def _body_problem(lines: Sequence[str]) -> str | None:
    """Why these body lines would not read back as the same text, or None."""
    fence = _Fence()
    for number, line in enumerate(lines):
        if not fence.marker and _classify(line) != "text":
            return f"line {line[:60]!r} would be read as question structure"
        fence.feed(line, number)
    if fence.marker:
        return f"it opens a code fence {fence.marker!r} that is never closed"
    return None


def _markdown_problem(q: QuestionData) -> str | None:
    for what, value, limit in (
        ("prompt", q.prompt, MAX_PROMPT),
        ("answer", q.answer, MAX_ANSWER),
    ):
        problem = text_problem(value, limit=limit)
        if problem:
            return f"its {what} {problem}"
    if not KEY_RE.match(q.key) or len(q.key) > KEY_MAX_LENGTH:
        return f"its key {q.key!r} is not a slug"
    problem = key_points_unrepresentable(q.key_points) or meta_unrepresentable(q)
    if problem:
        return problem
    prompt_lines = q.prompt.split("\n")
    problem = _body_problem(prompt_lines[1:]) or _body_problem(q.answer.split("\n"))
    return f"its text cannot be written as Markdown: {problem}" if problem else None


def write_markdown(questions: Sequence[QuestionData]) -> str:
    parts = [TITLE, ""]
    level = None
    for q in ordered(questions):
        problem = _markdown_problem(q)
        if problem:
            raise Unrepresentable(q.key, problem)
        if q.level != level:
            level = q.level
            parts += [f"## {Level(level).label}", ""]
        inactive = "; inactive" if q.is_active is False else ""
        parts.append(f"<!-- key: {q.key}{inactive} -->")
        if q.topics:
            parts.append(f"<!-- topics: {'; '.join(q.topics)} -->")
        parts += [f"<!-- source: {source} -->" for source in q.sources or ()]
        if q.verified_on:
            parts.append(f"<!-- verified: {q.verified_on.isoformat()} -->")
        first, *rest = q.prompt.split("\n")
        parts.append(f"**Q{q.position}: {first}**")
        parts += rest
        first = q.answer.split("\n", 1)[0]
        # Lists, code and quotes start on their own line, as in the seed.
        if re.match(r"^\s*([-*+>|#]|[0-9]+[.)]|```|~~~)", first):
            parts += ["**A:**", q.answer, ""]
        else:
            parts += [f"**A:** {q.answer}", ""]
        if q.key_points:
            parts += [f"<!-- {p.as_line()} -->" for p in q.key_points]
            parts.append("")
    return "\n".join(parts).rstrip("\n") + "\n"

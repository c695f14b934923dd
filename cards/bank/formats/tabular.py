"""CSV (one row per question) and the project's JSON (fixture-shaped or flat)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence

from cards.bank.formats.core import (
    MAX_ANSWER,
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
    parse_level,
    parse_position,
    parse_sources,
    parse_topics,
    parse_verified,
    text_problem,
)
from cards.models import Level, make_key

CSV_COLUMNS = ("key", "level", "position", "prompt", "answer", "active", "key_points")
CSV_COLUMNS += ("topics", "sources", "verified")
CSV_REQUIRED = {"level", "prompt", "answer"}
ACTIVE_VALUES = {"yes": True, "true": True, "1": True, "no": False, "false": False}
ACTIVE_VALUES |= {"0": False, "": None}


def _csv_rows(text: str, out: Collector) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            out.error(reader.line_num or start, f"expected a CSV row: {exc}")
            return
        yield start, row
        start = reader.line_num + 1


def parse_csv(text: str) -> ParseResult:
    out = Collector()
    found: list[QuestionData] = []
    rows = _csv_rows(text, out)
    header_line, header = next(rows, (1, []))
    names = [name.strip().lower() for name in header]
    names = ["active" if name == "is_active" else name for name in names]
    unknown = [n for n in names if n not in CSV_COLUMNS]
    missing = CSV_REQUIRED - set(names)
    if unknown or missing or len(set(names)) != len(names):
        out.error(
            header_line,
            f"expected a header row with the columns {', '.join(CSV_COLUMNS)} "
            f"(level, prompt and answer required), found {header[:8]!r}",
        )
        return out.finish([])
    for index, (line, row) in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            out.error(line, f"expected {len(names)} cells, found {len(row)}")
            continue
        data = dict(zip(names, row, strict=True))
        found_q = _question_from_fields(data, line=line, index=index, out=out)
        if found_q:
            found.append(found_q)
    return out.finish(found)


def _question_from_fields(
    data: Mapping[str, object], *, line: int, index: int, out: Collector
) -> QuestionData | None:
    prompt, answer = data.get("prompt"), data.get("answer")
    if not isinstance(prompt, str) or not isinstance(answer, str):
        out.error(line, "expected text for both prompt and answer")
        return None
    before = len(out.problems)
    prompt = clean_text(prompt, what="prompt", line=line, limit=MAX_PROMPT, out=out)
    answer = clean_text(answer, what="answer", line=line, limit=MAX_ANSWER, out=out)
    level = parse_level(data.get("level"), line=line, out=out)
    position = data.get("position")
    if position in (None, ""):
        position = index
    position = parse_position(position, line=line, out=out)
    key = data.get("key")
    if key in (None, ""):
        key = make_key(prompt) if prompt else None
    elif isinstance(key, str):
        key = clean_key(key.strip(), line=line, out=out)
    else:
        out.error(line, f"expected the key as text, found {key!r}")
        key = None
    active = data.get("active", data.get("is_active"))
    if isinstance(active, str):
        if active.strip().lower() not in ACTIVE_VALUES:
            out.error(line, f"expected active to be yes or no, found {active!r}")
        active = ACTIVE_VALUES.get(active.strip().lower())
    elif active is not None and not isinstance(active, bool):
        out.error(line, f"expected is_active to be true or false, found {active!r}")
        active = None
    points = _key_points(data.get("key_points"), line=line, out=out)
    topics, sources, verified = _meta(data, line=line, out=out)
    if len(out.problems) > before:
        return None
    return QuestionData(
        key,
        level,
        position,
        prompt,
        answer,
        active,
        line,
        points,
        topics=topics,
        sources=sources,
        verified_on=verified,
    )


def _meta(data: Mapping[str, object], *, line: int, out: Collector) -> tuple:
    """Topics, sources and verified date; CSV cells are text (topics split on
    ';', sources one per line), JSON gives lists and a date string."""
    topics = data.get("topics")
    if topics in (None, ""):
        topics = None
    elif isinstance(topics, str | list):
        topics = parse_topics(topics)
        if isinstance(topics, str):
            out.error(line, topics)
    else:
        out.error(line, f"expected topics as a list of names, found {topics!r}"[:200])
    sources = data.get("sources")
    if sources in (None, ""):
        sources = None
    elif isinstance(sources, str | list):
        if isinstance(sources, str):
            lines = sources.replace("\r\n", "\n").split("\n")
            sources = [s for s in lines if s.strip()]
        sources = parse_sources(sources)
        if isinstance(sources, str):
            out.error(line, sources)
    else:
        out.error(line, f"expected sources as a list, found {sources!r}"[:200])
    verified = data.get("verified", data.get("verified_on"))
    if verified in (None, ""):
        verified = None
    else:
        verified = parse_verified(verified)
        if isinstance(verified, str):
            out.error(line, verified)
    return topics, sources, verified


def _key_points(
    value: object, *, line: int, out: Collector
) -> tuple[KeyPointData, ...] | None:
    """CSV: one `must: s | also: a; b` line per point; JSON: a list of objects."""
    if value is None or value == "":
        return None
    points: list[KeyPointData] = []
    if isinstance(value, str):
        for text in value.replace("\r\n", "\n").split("\n"):
            if text.strip():
                point = parse_key_point(text)
                if isinstance(point, str):
                    out.error(line, point)
                    return None
                points.append(point)
    elif isinstance(value, list):
        for item in value:
            point = _json_point(item)
            if isinstance(point, str):
                out.error(line, point)
                return None
            points.append(point)
    else:
        out.error(line, f"expected key_points as a list, found {value!r}"[:200])
        return None
    problem = key_points_problem(points) if points else None
    if problem:
        out.error(line, problem)
        return None
    return tuple(points)


JSON_POINT_FIELDS = {"statement", "aliases", "must", "wrong"}


def _json_point(item: object) -> KeyPointData | str:
    if not isinstance(item, dict) or set(item) - JSON_POINT_FIELDS:
        return (
            "expected each key point as an object with statement and optional "
            "aliases, must, wrong"
        )
    aliases = item.get("aliases", [])
    must, wrong = item.get("must", False), item.get("wrong", False)
    if not (
        isinstance(item.get("statement"), str)
        and isinstance(aliases, list)
        and all(isinstance(a, str) for a in aliases)
        and isinstance(must, bool)
        and isinstance(wrong, bool)
    ):
        return "expected a key point's statement and aliases as text, must and wrong as true or false"
    if must and wrong:
        return "a key point cannot be both must and wrong"
    kind = "wrong" if wrong else "must" if must else "point"
    also = f" | also: {'; '.join(aliases)}" if aliases else ""
    return parse_key_point(f"{kind}: {item['statement']}{also}")


def _points_json(points: tuple[KeyPointData, ...]) -> list[dict]:
    out = []
    for p in points:
        item: dict = {"statement": p.statement}
        if p.aliases:
            item["aliases"] = list(p.aliases)
        if p.is_must:
            item["must"] = True
        if p.is_misconception:
            item["wrong"] = True
        out.append(item)
    return out


def _check(q: QuestionData) -> None:
    for what, value, limit in (
        ("prompt", q.prompt, MAX_PROMPT),
        ("answer", q.answer, MAX_ANSWER),
    ):
        problem = text_problem(value, limit=limit)
        if problem:
            raise Unrepresentable(q.key, f"its {what} {problem}")
    problem = key_points_unrepresentable(q.key_points) or meta_unrepresentable(q)
    if problem:
        raise Unrepresentable(q.key, problem)


def write_csv(questions: Sequence[QuestionData]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for q in ordered(questions):
        _check(q)
        active = "" if q.is_active is None else ("yes" if q.is_active else "no")
        points = "\n".join(p.as_line() for p in q.key_points or ())
        writer.writerow(
            [
                q.key,
                Level(q.level).label,
                q.position,
                q.prompt,
                q.answer,
                active,
                points,
                "; ".join(q.topics or ()),
                "\n".join(q.sources or ()),
                q.verified_on.isoformat() if q.verified_on else "",
            ]
        )
    return buffer.getvalue()


# JSON -------------------------------------------------------------------------

JSON_FIELDS = {"key", "level", "position", "prompt", "answer", "is_active"}
JSON_FIELDS |= {"key_points", "topics", "sources", "verified_on"}
JSON_IGNORED = {"created_at", "updated_at"}
MODEL_LABEL = "cards.question"


def _json_items(text: str, out: Collector) -> Iterator[tuple[int, object]]:
    decoder = json.JSONDecoder()
    ws = re.compile(r"\s*")

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    pos = ws.match(text, 0).end()
    if not text.startswith("[", pos):
        out.error(line_of(pos), "expected a JSON list of questions ('[')")
        return
    pos = ws.match(text, pos + 1).end()
    if text.startswith("]", pos):
        pos += 1
    else:
        while True:
            try:
                item, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                out.error(exc.lineno, f"expected a JSON value: {exc.msg}")
                return
            except RecursionError:
                out.error(line_of(pos), "expected a question, found deep nesting")
                return
            yield line_of(pos), item
            pos = ws.match(text, end).end()
            if text.startswith(",", pos):
                pos = ws.match(text, pos + 1).end()
            elif text.startswith("]", pos):
                pos += 1
                break
            else:
                out.error(line_of(pos), "expected ',' or ']' after a question")
                return
    if text[pos:].strip():
        out.error(line_of(pos), "expected the end of the file after ']'")


def parse_json(text: str) -> ParseResult:
    out = Collector()
    found: list[QuestionData] = []
    for index, (line, item) in enumerate(_json_items(text, out), start=1):
        if isinstance(item, dict) and "fields" in item:
            if item.get("model") != MODEL_LABEL or not isinstance(item["fields"], dict):
                out.error(line, f"expected a {MODEL_LABEL!r} fixture with 'fields'")
                continue
            item = item["fields"]
        if not isinstance(item, dict):
            out.error(line, "expected an object with prompt, answer and level")
            continue
        unknown = set(item) - JSON_FIELDS - JSON_IGNORED
        if unknown:
            out.error(
                line,
                f"unknown field(s) {', '.join(sorted(unknown))}; expected "
                f"{', '.join(sorted(JSON_FIELDS))}",
            )
            continue
        question = _question_from_fields(item, line=line, index=index, out=out)
        if question:
            found.append(question)
    return out.finish(found)


def write_json(questions: Sequence[QuestionData]) -> str:
    """Fixture-shaped items without pks: read back by key, never by loaddata."""
    items = []
    for q in ordered(questions):
        _check(q)
        fields = {
            "key": q.key,
            "level": q.level,
            "position": q.position,
            "prompt": q.prompt,
            "answer": q.answer,
        }
        if q.is_active is not None:
            fields["is_active"] = q.is_active
        if q.key_points is not None:
            fields["key_points"] = _points_json(q.key_points)
        if q.topics is not None:
            fields["topics"] = list(q.topics)
        if q.sources is not None:
            fields["sources"] = list(q.sources)
        if q.verified_on is not None:
            fields["verified_on"] = q.verified_on.isoformat()
        items.append({"model": MODEL_LABEL, "fields": fields})
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"

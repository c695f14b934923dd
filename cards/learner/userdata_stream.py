"""The "Your data" file, version 3: JSON lines in gzip, written and read as streams.

    {"format": ..., "version": 3, "account": {...}, "settings": {...},
     "plan": {...}, "schedule_fields": [...], "review_fields": [...]}  the header
    ["schedule", <values in schedule_fields order>]           one per schedule
    ["review", <values in review_fields order>]               one per review
    ["mock", {...}]                    one per mock interview (cards/mock/userdata.py)
    ["end", {"mocks": k, "reviews": m, "schedules": n}]       a cut file is refused
                                       ("mocks" only when there are some)

Files written before mock interviews (issue 18) have no mock lines, no
"mocks" count and no "confidence" review field; they are read as before.

Values are those of version 2 (ISO dates, UTC date-times, the scheduler's
state as an object), each record checked by userdata_file's validation.
Compact (about 40 bytes a review gzipped, against 580 in version 2), the
export is written as it is read from the database, and the import reads one
line at a time: what it holds is the schedules, never the reviews. The size
limit is on the decompressed bytes, so a small upload cannot expand without
bound. A version 1 or 2 file (one JSON document, gzipped or not) is read
whole, at most MAX_IMPORT_BYTES, as before.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from django.contrib.auth.models import AbstractBaseUser

from cards.bank.userdata import export_topics, parse_topics
from cards.care.userdata import export_care
from cards.learner.userdata_file import (
    FORMAT,
    MAX_IMPORT_BYTES,
    REVIEW_FIELDS,
    REVIEW_FIELDS_BEFORE_CONFIDENCE,
    SCHEDULE_FIELDS,
    SETTINGS_FIELDS,
    ParsedData,
    UserDataError,
    _fail,
    _record,
    _reminders,
    _settings,
    care_of,
    check_reviews,
    parse_document,
    plan_of,
)
from cards.mock.userdata import check_mock, export_mocks
from cards.models import LearnerProfile, ReviewLog, ReviewSchedule, profile_for
from cards.planning.userdata import export_plan
from cards.reminders import services as reminder_services

STREAM_VERSION = 3
MAX_DECOMPRESSED_BYTES = 512 * 2**20  # about 2.5 million reviews
MAX_LINE_BYTES = 2**20
MAX_STREAM_RECORDS = 2_000_000
_CENT = Decimal("0.01")
_HEADER = {
    "format",
    "version",
    "account",
    "settings",
    "schedule_fields",
    "review_fields",
}
_CHUNK = 64 * 1024


# Writing --------------------------------------------------------------------


def _out(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(_CENT))
    return value


def _line(value: object) -> bytes:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def settings_as_chosen(profile: LearnerProfile) -> dict[str, Any]:
    """The settings as chosen: a pending time zone or day start included."""
    values = {f: _out(getattr(profile, f)) for f in SETTINGS_FIELDS}
    if profile.has_pending:
        zone, hour = profile.day_settings_at(profile.pending_from)
        values.update(time_zone=zone, rollover_hour=hour)
    return values


def export_lines(*, user: AbstractBaseUser) -> Iterator[bytes]:
    """The learner's file, uncompressed, one line at a time (canonical)."""
    yield _line(
        {
            "format": FORMAT,
            "version": STREAM_VERSION,
            "account": {
                "username": user.get_username(),
                "email": user.email,
                "date_joined": _out(user.date_joined),
            },
            "settings": settings_as_chosen(profile_for(user)),
            "plan": export_plan(user),
            "reminders": reminder_services.export(user=user),
            "topics": export_topics(user),
            "care": export_care(user),
            "schedule_fields": list(SCHEDULE_FIELDS),
            "review_fields": list(REVIEW_FIELDS),
        }
    )
    counts = {"schedules": 0, "reviews": 0}
    schedules = (
        ReviewSchedule.objects.for_user(user)
        .order_by("question__key")
        .values_list("question__key", *SCHEDULE_FIELDS[1:])
    )
    for row in schedules.iterator(chunk_size=2_000):
        counts["schedules"] += 1
        yield _line(["schedule", *map(_out, row)])
    reviews = (
        ReviewLog.objects.for_user(user)
        .order_by("reviewed_at", "question__key", "from_version")
        .values_list("question__key", *REVIEW_FIELDS[1:])
    )
    for row in reviews.iterator(chunk_size=2_000):
        counts["reviews"] += 1
        yield _line(["review", *map(_out, row)])
    mocks = 0
    for mock in export_mocks(user):
        mocks += 1
        yield _line(["mock", mock])
    # Counted only when there are some: a file without mocks stays as before.
    yield _line(["end", counts | ({"mocks": mocks} if mocks else {})])


def export_stream(*, user: AbstractBaseUser) -> Iterator[bytes]:
    """export_lines gzipped, in chunks of about 64 KB (a download streams it)."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: the gzip container
    pending: list[bytes] = []
    size = 0
    for line in export_lines(user=user):
        pending.append(line)
        size += len(line)
        if size >= _CHUNK:
            if out := packer.compress(b"".join(pending)):
                yield out
            pending, size = [], 0
    yield packer.compress(b"".join(pending)) + packer.flush()


# Reading --------------------------------------------------------------------


class _Capped:
    """A binary reader that refuses to give more than `limit` bytes in all."""

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        self.raw, self.limit, self.read_so_far = raw, limit, 0

    def _count(self, data: bytes) -> bytes:
        self.read_so_far += len(data)
        if self.read_so_far > self.limit:
            raise UserDataError(
                f"The file is larger than {self.limit // 2**20} MB once decompressed."
            )
        return data

    def read(self, size: int) -> bytes:
        return self._count(self._call(self.raw.read, size))

    def readline(self, size: int) -> bytes:
        return self._count(self._call(self.raw.readline, size))

    @staticmethod
    def _call(method, size: int) -> bytes:
        try:
            return method(size)
        except (OSError, EOFError, zlib.error):  # gzip.BadGzipFile is an OSError
            raise UserDataError(
                "The file is damaged: it is not a complete gzip file."
            ) from None


def _open(stream: BinaryIO) -> _Capped:
    magic = stream.read(2)
    stream.seek(0)
    raw = gzip.GzipFile(fileobj=stream, mode="rb") if magic == b"\x1f\x8b" else stream
    return _Capped(raw, MAX_DECOMPRESSED_BYTES)


def _json_line(raw: bytes, number: int) -> Any:
    if len(raw) > MAX_LINE_BYTES:
        raise _fail(f"line {number}", f"is longer than {MAX_LINE_BYTES // 2**20} MB")
    try:
        value = json.loads(raw.decode("utf-8"))
        # "\ud800" is valid JSON but no text: a lone surrogate cannot be saved.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
        return value
    except (UnicodeError, ValueError, RecursionError):
        raise _fail(f"line {number}", "is not JSON (UTF-8)") from None


def read_user_data(stream: BinaryIO) -> ParsedData:
    """Read a data file of any version; raises UserDataError and nothing else.

    For version 3 the reviews are an iterator, checked as they are read:
    consume it inside the transaction that writes them (a bad line raises).
    """
    reader = _open(stream)
    first = reader.readline(MAX_LINE_BYTES + 1)
    header = None
    if first.endswith(b"\n") and first.lstrip().startswith(b"{"):
        try:
            header = json.loads(first.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            header = None
    if not isinstance(header, dict) or header.get("version") != STREAM_VERSION:
        # One JSON document (version 1 or 2), read whole as before.
        return parse_document(first + reader.read(MAX_IMPORT_BYTES + 1 - len(first)))
    return _read_lines(header, reader)


def _read_lines(header: dict, reader: _Capped) -> ParsedData:
    if header.get("format") != FORMAT:
        raise UserDataError("This is not a GenAI Prep data file.")
    if set(header) - {"plan", "reminders", "topics", "care"} != _HEADER:  # all optional
        raise UserDataError(f"line 1 must have exactly: {', '.join(sorted(_HEADER))}.")
    review_fields = header["review_fields"]
    if header["schedule_fields"] != list(SCHEDULE_FIELDS) or review_fields not in (
        list(REVIEW_FIELDS),
        list(REVIEW_FIELDS_BEFORE_CONFIDENCE),
    ):
        raise _fail("line 1", "lists other fields than version 3 has")
    review_fields = tuple(review_fields)
    if not isinstance(header["account"], dict):
        raise _fail("account", "must be an object")
    settings = _settings(header["settings"])
    plan = plan_of(header)
    reminders = _reminders(header["reminders"]) if "reminders" in header else None
    topics = None
    if "topics" in header:
        try:
            topics = parse_topics(header["topics"])
        except ValueError as exc:
            raise UserDataError(f"line 1: {exc}.") from None
    care = care_of(header)
    lines = _records(reader)
    schedules: list[dict[str, Any]] = []
    tag, values, number = next(lines)
    while tag == "schedule":
        schedules.append(_as_record(values, SCHEDULE_FIELDS, number, "schedule"))
        if len(schedules) > MAX_STREAM_RECORDS:
            raise _fail(f"line {number}", f"more than {MAX_STREAM_RECORDS} schedules")
        tag, values, number = next(lines)
    versions = check_reviews([], schedules)  # checks the schedules themselves
    mocks: list[dict[str, Any]] = []

    def reviews() -> Iterator[dict[str, Any]]:
        seen: set[tuple[str, int]] = set()
        current = (tag, values, number)
        count = 0
        while current[0] == "review":
            record = _as_record(current[1], review_fields, current[2], "review")
            record.setdefault("confidence", None)
            pair = (record["question"], record["from_version"])
            where = f"line {current[2]}"
            if record["question"] not in versions:
                raise _fail(where, "has no schedule for its question")
            if record["from_version"] >= versions[record["question"]] or pair in seen:
                raise _fail(where, "does not fit its schedule's version")
            seen.add(pair)
            count += 1
            yield record
            current = next(lines)
        while current[0] == "mock":
            if len(current[1]) != 1:
                raise _fail(f"line {current[2]}", "must be ['mock', {...}]")
            mocks.append(check_mock(current[1][0], f"line {current[2]} (mock)"))
            current = next(lines)
        _check_end(current, len(schedules), count, len(mocks))
        if reader.readline(MAX_LINE_BYTES + 1).strip():
            raise UserDataError("The file goes on after its end line.")

    return ParsedData(
        settings=settings,
        schedules=schedules,
        reviews=reviews(),
        plan=plan,
        reminders=reminders,
        topics=topics,
        care=care,
        mocks=mocks,
    )


def _records(reader: _Capped) -> Iterator[tuple[str, list, int]]:
    number = 1
    while True:
        raw = reader.readline(MAX_LINE_BYTES + 1)
        number += 1
        if not raw:
            raise UserDataError(
                "The file is incomplete: it stops before its end line "
                "(was the download cut short?)."
            )
        line = _json_line(raw, number)
        if not (isinstance(line, list) and line and isinstance(line[0], str)):
            raise _fail(f"line {number}", "must be a list that starts with its kind")
        yield line[0], line[1:], number


def _as_record(values: list, fields: tuple[str, ...], number: int, kind: str) -> dict:
    where = f"line {number} ({kind})"
    if len(values) != len(fields):
        raise _fail(where, f"must have {len(fields)} values, found {len(values)}")
    return _record(dict(zip(fields, values, strict=True)), fields, where)


def _check_end(
    current: tuple[str, list, int], schedules: int, reviews: int, mocks: int = 0
) -> None:
    tag, values, number = current
    if tag != "end":
        raise _fail(f"line {number}", f"is a {tag[:20]!r} line out of place")
    expected = {"schedules": schedules, "reviews": reviews}
    if values and isinstance(values[0], dict) and "mocks" in values[0]:
        expected["mocks"] = mocks  # files from before mock interviews have none
    elif mocks:
        raise _fail(f"line {number}", "must count the mock interviews")
    if values != [expected]:
        raise _fail(
            f"line {number}", f"must be ['end', {expected}]: the file is incomplete"
        )


def parse_user_data(blob: bytes) -> ParsedData:
    """read_user_data of bytes, with every review checked now (a list)."""
    data = read_user_data(io.BytesIO(blob))
    reviews = list(data.reviews)  # reading them reads the mock lines too
    return ParsedData(
        data.settings,
        data.schedules,
        reviews,
        data.plan,
        data.reminders,
        data.topics,
        data.care,
        data.mocks,
    )

"""The "Your data" file: its fields and their validation on import.

Pure validation (no database): `parse_user_data` returns plain values or
raises UserDataError saying which record and field are wrong. Schedules and
reviews carry the scheduler's serialised state (checked by that scheduler's
`loads`); version 1 files, which spelled SM-2's state out in columns, are
upgraded on the way in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from cards import scheduling
from cards.care.userdata import parse_care
from cards.models import KEY_MAX_LENGTH, GradeScale, ReviewKind, time_zone_names
from cards.planning.userdata import parse_plan
from cards.review.services import MAX_DURATION_MS
from cards.scheduling import sm2

FORMAT = "genai-prep/user-data"


FORMAT_VERSION = 2
# Version 1 (before the serialised scheduler state) is still read: its SM-2
# columns become a state (see _upgrade_v1).
READABLE_VERSIONS = (1, 2)


MAX_IMPORT_BYTES = 20 * 1024 * 1024


MAX_RECORDS = 200_000


MAX_INT = 2**31 - 1  # PostgreSQL integer columns


_KEY = re.compile(rf"^[-a-zA-Z0-9_]{{1,{KEY_MAX_LENGTH}}}$")


SETTINGS_FIELDS = (
    "time_zone",
    "rollover_hour",
    "new_cards_per_day",
    "reviews_per_day",
    "grade_scale",
    "scheduler",
    "desired_retention",
    "type_answer_first",
    "rate_confidence",
)
# Added with FSRS (issue 19): files written before it lack them (SM-2, 0.90).
# Settings added after v2 was written (issues 19 and 15): absent means the default.
OPTIONAL_SETTINGS = {
    "scheduler": "sm2",
    "desired_retention": "0.90",
    "type_answer_first": False,
    "rate_confidence": False,  # issue 18
}
_RETENTION = re.compile(r"^0\.[0-9]{2}$")


SCHEDULE_FIELDS = (
    "question",
    "scheduler",
    "state",
    "due_on",
    "lapses",
    "redrill_on",
    "last_reviewed_at",
    "version",
)
REVIEW_FIELDS = (
    "question",
    "kind",
    "grade",
    "reviewed_at",
    "study_day",
    "duration_ms",
    "from_version",
    "scheduler",
    "state_before",
    "due_before",
    "lapses_before",
    "redrill_before",
    "last_reviewed_before",
    "state_after",
    "due_after",
    "typed_answer",
    "answer_score",
    "suggested_grade",
    "confidence",
)
# Version 3 files written before issue 18 list the review fields without it.
REVIEW_FIELDS_BEFORE_CONFIDENCE = REVIEW_FIELDS[:-1]
# Issues 15 and 18 added these; files written before them lack them.
OPTIONAL = {
    "typed_answer": "",
    "answer_score": None,
    "suggested_grade": None,
    "confidence": None,
}
TYPED_MAX = 5_000  # cards.review.typed.MAX_TYPED_CHARS
# Version 1 spelled the SM-2 state out in columns.
V1_STATE_COLUMNS = {
    "state": ("repetitions", "interval_days", "ease"),
    "state_before": ("repetitions_before", "interval_before", "ease_before"),
    "state_after": ("repetitions_after", "interval_after", "ease_after"),
}
_TYPES: dict[str, tuple[str, bool]] = {
    "question": ("key", False),
    "scheduler": ("scheduler", False),
    "state": ("state", False),
    "due_on": ("date", False),
    "lapses": ("count", False),
    "redrill_on": ("date", True),
    "last_reviewed_at": ("datetime", True),
    "version": ("count", False),
    "kind": ("kind", False),
    "grade": ("grade", False),
    "reviewed_at": ("datetime", False),
    "study_day": ("date", False),
    "duration_ms": ("duration", True),
    "from_version": ("count", False),
    "state_before": ("state", False),
    "due_before": ("date", True),
    "lapses_before": ("count", False),
    "redrill_before": ("date", True),
    "last_reviewed_before": ("datetime", True),
    "state_after": ("state", False),
    "due_after": ("date", False),
    "typed_answer": ("text", False),
    "answer_score": ("score", True),
    "suggested_grade": ("grade", True),
    "confidence": ("confidence", True),
}


class UserDataError(ValueError):
    """The file cannot be imported; the message says why (400 for the views)."""


class ImportConflict(UserDataError):
    """The learner's data changed while importing; nothing was written (409)."""


@dataclass(frozen=True)
class ParsedData:
    settings: dict[str, Any]
    schedules: list[dict[str, Any]]
    # A list, or (version 3, read from a stream) an iterator checked as read.
    reviews: Iterable[dict[str, Any]]
    plan: dict[str, Any] | None = None  # cards/planning/userdata.py
    # Reminders (issue 20): optional, as files exported before them have none.
    reminders: dict[str, Any] | None = None
    # Topic choices (issue 16): optional, as older files have none.
    topics: dict[str, Any] | None = None
    # Notes, suspensions, reports (issue 16; cards/care/userdata.py): optional too.
    care: dict[str, Any] | None = None
    # Mock interviews (issue 18): version 3 lines after the reviews, filled in
    # as the reviews are read (complete once they have been consumed).
    mocks: list[dict[str, Any]] = field(default_factory=list)


def _fail(where: str, problem: str) -> UserDataError:
    return UserDataError(f"{where}: {problem}")


def _value(kind: str, value: object, where: str) -> object:
    if kind in {"count", "grade", "duration"}:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(where, "must be a whole number")
        high = {
            "count": MAX_INT,
            "grade": max(scheduling.GRADES),
            "duration": MAX_DURATION_MS,
        }[kind]
        if not 0 <= value <= high:
            raise _fail(where, f"must be between 0 and {high}")
        return value
    if kind == "confidence":
        if isinstance(value, bool) or value not in (1, 2, 3):
            raise _fail(where, "must be 1, 2 or 3")
        return value
    if kind == "score":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(where, "must be a number")
        if not 0 <= value <= 1:
            raise _fail(where, "must be between 0 and 1")
        return float(value)
    if kind == "state":
        # Checked whole by its scheduler, once the record's scheduler is known.
        if not isinstance(value, dict):
            raise _fail(where, "must be an object")
        return value
    if not isinstance(value, str):
        raise _fail(where, "must be a string")
    if "\x00" in value:
        raise _fail(where, "contains a NUL character")
    if kind == "text":
        if len(value) > TYPED_MAX:
            raise _fail(where, f"is longer than {TYPED_MAX} characters")
        return value
    if kind == "key":
        if not _KEY.match(value):
            raise _fail(where, "is not a question key")
        return value
    if kind == "kind":
        if value not in ReviewKind.values:
            raise _fail(where, f"must be one of {', '.join(ReviewKind.values)}")
        return value
    if kind == "scheduler":
        if value not in scheduling.SCHEDULERS:
            raise _fail(where, f"must be one of {', '.join(scheduling.SCHEDULERS)}")
        return value
    if kind == "date":
        try:
            if len(value) != 10:
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            raise _fail(where, "must be a date such as 2026-01-05") from None
    try:  # datetime
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise _fail(where, "must be a date-time with a UTC offset") from None


def _record(raw: object, fields: tuple[str, ...], where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _fail(where, "must be an object")
    if set(raw) != set(fields):
        missing = sorted(set(fields) - set(raw))
        extra = sorted(set(raw) - set(fields))
        problem = f"missing {', '.join(missing)}" if missing else ""
        problem += ("; " if missing and extra else "") + (
            f"unexpected {', '.join(map(str, extra))[:200]}" if extra else ""
        )
        raise _fail(where, problem)
    out = {}
    for name in fields:
        kind, nullable = _TYPES[name]
        value = raw[name]
        if value is None and nullable:
            out[name] = None
        elif value is None:
            raise _fail(f"{where}.{name}", "must not be empty")
        else:
            out[name] = _value(kind, value, f"{where}.{name}")
    for name in fields:
        if _TYPES[name][0] == "state":
            out[name] = _state(out["scheduler"], out[name], f"{where}.{name}")
    return out


def _state(name: str, raw: dict, where: str) -> dict[str, Any]:
    """`raw` as its scheduler writes it, or UserDataError saying what is wrong."""
    scheduler = scheduling.get(name)
    try:
        state = scheduler.loads(raw)
    except ValueError as error:
        raise _fail(where, str(error)) from None
    if scheduler.interval_days(state) > scheduling.MAX_INTERVAL_DAYS:
        raise _fail(where, f"schedules more than {scheduling.MAX_INTERVAL_DAYS} days")
    data = scheduler.dumps(state)
    if not 0 <= data.get("repetitions", 0) <= MAX_INT:  # SM-2's column
        raise _fail(where, f"repetitions must be between 0 and {MAX_INT}")
    return data


def _upgrade_v1(records: list, fields: tuple[str, ...], name: str) -> list:
    """Version 1 records with their SM-2 columns as one `state` (and "sm2")."""
    upgraded = []
    for i, raw in enumerate(records):
        if isinstance(raw, dict):
            raw = dict(raw)
            for state, columns in V1_STATE_COLUMNS.items():
                if state not in fields:
                    continue
                missing = [c for c in columns if c not in raw]
                if missing:
                    raise _fail(f"{name}[{i}]", f"missing {', '.join(missing)}")
                repetitions, interval, ease = (raw.pop(c) for c in columns)
                raw[state] = {
                    "ease": ease,
                    "interval_days": interval,
                    "repetitions": repetitions,
                }
                raw["scheduler"] = sm2.SM2.name
        upgraded.append(raw)
    return upgraded


def _settings(raw: object) -> dict[str, Any]:
    if isinstance(raw, dict):
        raw = OPTIONAL_SETTINGS | raw
    if not isinstance(raw, dict) or set(raw) != set(SETTINGS_FIELDS):
        raise _fail("settings", f"must have exactly {', '.join(SETTINGS_FIELDS)}")
    if (
        not isinstance(raw["scheduler"], str)
        or raw["scheduler"] not in scheduling.SCHEDULERS
    ):
        raise _fail(
            "settings.scheduler", f"must be one of {', '.join(scheduling.SCHEDULERS)}"
        )
    retention = raw["desired_retention"]
    if (
        not isinstance(retention, str)
        or not _RETENTION.match(retention)
        or not Decimal("0.70") <= Decimal(retention) <= Decimal("0.97")
    ):
        raise _fail("settings.desired_retention", "must be a decimal from 0.70 to 0.97")
    for name in ("type_answer_first", "rate_confidence"):
        if not isinstance(raw[name], bool):
            raise _fail(f"settings.{name}", "must be true or false")
    limits = {"rollover_hour": (0, 23), "new_cards_per_day": (0, 500)}
    limits["reviews_per_day"] = (1, 5_000)
    for name, (low, high) in limits.items():
        value = raw[name]
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(f"settings.{name}", "must be a whole number")
        if not low <= value <= high:
            raise _fail(f"settings.{name}", f"must be between {low} and {high}")
    if raw["time_zone"] not in time_zone_names():
        raise _fail("settings.time_zone", "is not a known time zone")
    if raw["grade_scale"] not in GradeScale.values:
        raise _fail("settings.grade_scale", "must be four or six")
    return dict(raw, desired_retention=Decimal(retention))


def parse_document(blob: bytes) -> ParsedData:
    """Validate a version 1 or 2 file (one JSON document); raises UserDataError
    (a ValueError) and nothing else. Version 3 is read by userdata_stream."""
    if len(blob) > MAX_IMPORT_BYTES:
        raise UserDataError(f"The file is larger than {MAX_IMPORT_BYTES // 2**20} MB.")
    try:
        data = json.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise UserDataError("The file is not JSON (UTF-8).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserDataError("This is not a GenAI Prep data file.")
    version = data.get("version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        readable = " or ".join(map(str, READABLE_VERSIONS))
        raise UserDataError(f"Only version {readable} files can be imported.")
    expected = {"format", "version", "account", "settings", "schedules", "reviews"}
    # The interview plan (issue 17) and reminders (issue 20) are optional:
    # older files have none.
    if set(data) - {"plan", "reminders", "care"} != expected:
        raise UserDataError(
            f"The file must have exactly: {', '.join(sorted(expected))}."
        )
    if not isinstance(data["account"], dict):
        raise _fail("account", "must be an object")
    for name in ("schedules", "reviews"):
        if not isinstance(data[name], list) or len(data[name]) > MAX_RECORDS:
            raise _fail(name, f"must be a list of at most {MAX_RECORDS} entries")
    settings = _settings(data["settings"])
    plan = plan_of(data)
    reminders = _reminders(data["reminders"]) if "reminders" in data else None
    care = care_of(data)
    if version == 1:
        data["schedules"] = _upgrade_v1(data["schedules"], SCHEDULE_FIELDS, "schedules")
        data["reviews"] = _upgrade_v1(data["reviews"], REVIEW_FIELDS, "reviews")
    schedules = [
        _record(raw, SCHEDULE_FIELDS, f"schedules[{i}]")
        for i, raw in enumerate(data["schedules"])
    ]
    reviews = [
        _record(
            OPTIONAL | raw if isinstance(raw, dict) else raw,
            REVIEW_FIELDS,
            f"reviews[{i}]",
        )
        for i, raw in enumerate(data["reviews"])
    ]
    check_reviews(reviews, schedules)
    return ParsedData(
        settings=settings,
        schedules=schedules,
        reviews=reviews,
        plan=plan,
        reminders=reminders,
        care=care,
    )


def care_of(data: dict) -> dict[str, Any] | None:
    """The file's notes, suspensions and reports (issue 16); older files have none."""
    try:
        return parse_care(data["care"]) if "care" in data else None
    except ValueError as error:
        raise UserDataError(f"The file's {error}.") from None


def plan_of(data: dict) -> dict[str, Any] | None:
    """The file's interview plan (issue 17), checked; older files have none."""
    try:
        return parse_plan(data["plan"]) if "plan" in data else None
    except ValueError as error:
        raise UserDataError(f"The file's {error}.") from None


def check_reviews(reviews: list[dict], schedules: list[dict]) -> dict[str, int]:
    """Refuse a repeated schedule or a review that fits no schedule; returns
    each question's schedule version."""
    versions: dict[str, int] = {}
    for i, s in enumerate(schedules):
        if s["question"] in versions:
            raise _fail(f"schedules[{i}]", "repeats a question")
        versions[s["question"]] = s["version"]
    seen: set[tuple[str, int]] = set()
    for i, r in enumerate(reviews):
        pair = (r["question"], r["from_version"])
        if r["question"] not in versions:
            raise _fail(f"reviews[{i}]", "has no schedule for its question")
        if r["from_version"] >= versions[r["question"]] or pair in seen:
            raise _fail(f"reviews[{i}]", "does not fit its schedule's version")
        seen.add(pair)
    return versions


REMINDER_FIELDS = ("enabled", "hour", "days")


def _reminders(raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict) or set(raw) != set(REMINDER_FIELDS):
        raise _fail("reminders", f"must have exactly {', '.join(REMINDER_FIELDS)}")
    if not isinstance(raw["enabled"], bool):
        raise _fail("reminders.enabled", "must be true or false")
    hour, days = raw["hour"], raw["days"]
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise _fail("reminders.hour", "must be a whole number between 0 and 23")
    if (
        not isinstance(days, list)
        or not days
        or any(isinstance(d, bool) or d not in range(7) for d in days)
    ):
        raise _fail("reminders.days", "must list weekdays 0 (Monday) to 6")
    return {"enabled": raw["enabled"], "hour": hour, "days": sorted(set(days))}

"""A learner's own data: export to canonical JSON, validated import, deletion.

The file holds the learner's settings, schedules and full review log, with
questions named by their stable `key` (a natural key), so it can be restored
into a new account or another installation with the same question bank.
Import is all-or-nothing and idempotent: a question that already has progress
keeps it, so importing the same file twice adds nothing the second time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from cards import scheduling
from cards.models import (
    KEY_MAX_LENGTH,
    GradeScale,
    LearnerProfile,
    Question,
    ReviewKind,
    ReviewLog,
    ReviewSchedule,
    profile_for,
    time_zone_names,
)
from cards.review.services import MAX_DURATION_MS
from cards.scheduling import sm2

FORMAT = "genai-prep/user-data"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_RECORDS = 200_000
MAX_INT = 2**31 - 1  # PostgreSQL integer columns
_KEY = re.compile(rf"^[-a-zA-Z0-9_]{{1,{KEY_MAX_LENGTH}}}$")
_EASE = re.compile(r"^[0-9]{1,6}\.[0-9]{2}$")
_CENT = Decimal("0.01")

SETTINGS_FIELDS = (
    "time_zone",
    "rollover_hour",
    "new_cards_per_day",
    "reviews_per_day",
    "grade_scale",
)
SCHEDULE_FIELDS = (
    "question",
    "repetitions",
    "interval_days",
    "ease",
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
    "repetitions_before",
    "interval_before",
    "ease_before",
    "due_before",
    "lapses_before",
    "redrill_before",
    "last_reviewed_before",
    "repetitions_after",
    "interval_after",
    "ease_after",
    "due_after",
)
# How each field is checked and stored: kind of value, may it be null.
_TYPES: dict[str, tuple[str, bool]] = {
    "question": ("key", False),
    "repetitions": ("count", False),
    "interval_days": ("interval", False),
    "ease": ("ease", False),
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
    "repetitions_before": ("count", False),
    "interval_before": ("interval", False),
    "ease_before": ("ease", False),
    "due_before": ("date", True),
    "lapses_before": ("count", False),
    "redrill_before": ("date", True),
    "last_reviewed_before": ("datetime", True),
    "repetitions_after": ("count", False),
    "interval_after": ("interval", False),
    "ease_after": ("ease", False),
    "due_after": ("date", False),
}


class UserDataError(ValueError):
    """The file cannot be imported; the message says why (400 for the views)."""


class ImportConflict(UserDataError):
    """The learner's data changed while importing; nothing was written (409)."""


@dataclass(frozen=True)
class ParsedData:
    settings: dict[str, Any]
    schedules: list[dict[str, Any]]
    reviews: list[dict[str, Any]]


@dataclass(frozen=True)
class ImportResult:
    schedules_added: int
    reviews_added: int
    schedules_kept: int


# Export ---------------------------------------------------------------------


def _out(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(_CENT))
    return value


def export_user_data(*, user: AbstractBaseUser) -> dict[str, Any]:
    """Everything the learner has stored, as plain JSON values."""
    profile = profile_for(user)
    schedules = ReviewSchedule.objects.for_user(user).select_related("question")
    reviews = ReviewLog.objects.for_user(user).select_related("question")
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": _out(user.date_joined),
        },
        "settings": {f: getattr(profile, f) for f in SETTINGS_FIELDS},
        "schedules": sorted(
            (
                {"question": s.question.key}
                | {f: _out(getattr(s, f)) for f in SCHEDULE_FIELDS[1:]}
                for s in schedules
            ),
            key=lambda r: r["question"],
        ),
        "reviews": sorted(
            (
                {"question": r.question.key}
                | {f: _out(getattr(r, f)) for f in REVIEW_FIELDS[1:]}
                for r in reviews
            ),
            key=lambda r: (r["reviewed_at"], r["question"], r["from_version"]),
        ),
    }


def dumps(data: dict[str, Any]) -> bytes:
    """Canonical JSON: sorted keys, fixed layout, UTF-8, so equal data is equal bytes."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")


# Import: validation (no database) -------------------------------------------


def _fail(where: str, problem: str) -> UserDataError:
    return UserDataError(f"{where}: {problem}")


def _value(kind: str, value: object, where: str) -> object:
    if kind in {"count", "interval", "grade", "duration"}:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(where, "must be a whole number")
        high = {
            "count": MAX_INT,
            "interval": scheduling.MAX_INTERVAL_DAYS,
            "grade": max(scheduling.GRADES),
            "duration": MAX_DURATION_MS,
        }[kind]
        if not 0 <= value <= high:
            raise _fail(where, f"must be between 0 and {high}")
        return value
    if not isinstance(value, str):
        raise _fail(where, "must be a string")
    if "\x00" in value:
        raise _fail(where, "contains a NUL character")
    if kind == "key":
        if not _KEY.match(value):
            raise _fail(where, "is not a question key")
        return value
    if kind == "kind":
        if value not in ReviewKind.values:
            raise _fail(where, f"must be one of {', '.join(ReviewKind.values)}")
        return value
    if kind == "ease":
        if not _EASE.match(value) or Decimal(value) < sm2.MIN_EASE:
            raise _fail(where, "must be a decimal such as 2.50, at least 1.30")
        return Decimal(value)
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
    return out


def _settings(raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict) or set(raw) != set(SETTINGS_FIELDS):
        raise _fail("settings", f"must have exactly {', '.join(SETTINGS_FIELDS)}")
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
    return dict(raw)


def parse_user_data(blob: bytes) -> ParsedData:
    """Validate an export file; raises UserDataError (a ValueError) and nothing else."""
    if len(blob) > MAX_IMPORT_BYTES:
        raise UserDataError(f"The file is larger than {MAX_IMPORT_BYTES // 2**20} MB.")
    try:
        data = json.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise UserDataError("The file is not JSON (UTF-8).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserDataError("This is not a GenAI Prep data file.")
    if data.get("version") != FORMAT_VERSION or type(data["version"]) is not int:
        raise UserDataError(f"Only version {FORMAT_VERSION} files can be imported.")
    expected = {"format", "version", "account", "settings", "schedules", "reviews"}
    if set(data) != expected:
        raise UserDataError(
            f"The file must have exactly: {', '.join(sorted(expected))}."
        )
    if not isinstance(data["account"], dict):
        raise _fail("account", "must be an object")
    for name in ("schedules", "reviews"):
        if not isinstance(data[name], list) or len(data[name]) > MAX_RECORDS:
            raise _fail(name, f"must be a list of at most {MAX_RECORDS} entries")
    settings = _settings(data["settings"])
    schedules = [
        _record(raw, SCHEDULE_FIELDS, f"schedules[{i}]")
        for i, raw in enumerate(data["schedules"])
    ]
    reviews = [
        _record(raw, REVIEW_FIELDS, f"reviews[{i}]")
        for i, raw in enumerate(data["reviews"])
    ]
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
    return ParsedData(settings=settings, schedules=schedules, reviews=reviews)


# Import: writing -------------------------------------------------------------


@transaction.atomic
def import_user_data(*, user: AbstractBaseUser, data: ParsedData) -> ImportResult:
    """Restore `data` into `user`'s account; questions with progress keep it."""
    # One import per learner at a time (a second waits for the first).
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    keys = {s["question"] for s in data.schedules}
    questions = {q.key: q for q in Question.objects.filter(key__in=keys)}
    unknown = sorted(keys - questions.keys())
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise UserDataError(
            f"{len(unknown)} question(s) in the file are not in this question bank: {shown}"
        )
    profile = LearnerProfile.objects.filter(user=user).first() or LearnerProfile(
        user=user
    )
    for name, value in data.settings.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()

    started = set(
        ReviewSchedule.objects.for_user(user)
        .filter(question__key__in=keys)
        .values_list("question__key", flat=True)
    )
    new = [s for s in data.schedules if s["question"] not in started]
    fresh = {s["question"] for s in new}
    try:
        with transaction.atomic():
            created = ReviewSchedule.objects.bulk_create(
                ReviewSchedule(
                    user=user,
                    question=questions[s["question"]],
                    **{f: s[f] for f in SCHEDULE_FIELDS[1:]},
                )
                for s in new
            )
            by_key = {s.question.key: s for s in created}
            logs = ReviewLog.objects.bulk_create(
                (
                    ReviewLog(
                        user=user,
                        schedule=by_key[r["question"]],
                        question=questions[r["question"]],
                        **{f: r[f] for f in REVIEW_FIELDS[1:]},
                    )
                    for r in data.reviews
                    if r["question"] in fresh
                ),
                batch_size=2_000,
            )
    except IntegrityError:
        raise ImportConflict(
            "Your progress changed while importing (another tab?). Nothing was "
            "imported; please try again."
        ) from None
    return ImportResult(
        schedules_added=len(created),
        reviews_added=len(logs),
        schedules_kept=len(data.schedules) - len(new),
    )


@transaction.atomic
def delete_account(*, user: AbstractBaseUser) -> None:
    """Delete the learner with their settings, schedules and review history."""
    user.delete()

"""The care domain's part of "Your data": notes, suspensions and problem reports.

    "care": {"notes": [[question key, text, updated_at]],
             "suspended": [[question key, created_at]],
             "reports": [[question key, note, created_at, resolved_at or null]]}

Files exported before issue 16 have no "care": nothing is restored then.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cards.care.models import (
    NOTE_MAX_CHARS,
    REPORT_MAX_CHARS,
    CardNote,
    ProblemReport,
    Suspension,
)

MAX_ROWS = 100_000
_KEYS = {"notes", "suspended", "reports"}


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def export_care(user: object) -> dict[str, list]:
    notes = CardNote.objects.filter(user=user).order_by("question__key")
    suspended = Suspension.objects.filter(user=user).order_by("question__key")
    reports = ProblemReport.objects.filter(reporter=user).order_by("created_at", "pk")
    return {
        "notes": [
            [key, text, _moment(at)]
            for key, text, at in notes.values_list(
                "question__key", "text", "updated_at"
            )
        ],
        "suspended": [
            [key, _moment(at)]
            for key, at in suspended.values_list("question__key", "created_at")
        ],
        "reports": [
            [key, note, _moment(at), _moment(resolved)]
            for key, note, at, resolved in reports.values_list(
                "question__key", "note", "created_at", "resolved_at"
            )
        ],
    }


def _when(value: object, where: str, *, optional: bool = False) -> datetime | None:
    if value is None and optional:
        return None
    try:
        moment = datetime.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(
            f"{where} must be a date-time such as 2026-01-05T09:00:00+00:00"
        ) from None
    if moment.tzinfo is None:
        raise ValueError(f"{where} must say its time zone (UTC offset)")
    return moment


def _text(value: object, where: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ValueError(f"{where} must be text of 1 to {limit} characters")
    if "\x00" in value:
        raise ValueError(f"{where} holds a character that cannot be stored")
    return value


def _rows(raw: dict, name: str, width: int) -> list[list]:
    rows = raw[name]
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        raise ValueError(f"care.{name} must be a list of at most {MAX_ROWS} entries")
    for i, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != width:
            raise ValueError(f"care.{name}[{i}] must be a list of {width} values")
        if not isinstance(row[0], str) or not row[0]:
            raise ValueError(f"care.{name}[{i}] must start with a question key")
    return rows


def parse_care(raw: object) -> dict[str, Any]:
    """Validate the file's "care"; ValueError says what is wrong."""
    if not isinstance(raw, dict) or set(raw) != _KEYS:
        raise ValueError(f"care must have exactly {', '.join(sorted(_KEYS))}")
    notes, seen = [], set()
    for i, (key, text, at) in enumerate(_rows(raw, "notes", 3)):
        where = f"care.notes[{i}]"
        if key in seen:
            raise ValueError(f"{where} repeats a question")
        seen.add(key)
        notes.append((key, _text(text, where, NOTE_MAX_CHARS), _when(at, where)))
    suspended = {
        key: _when(at, f"care.suspended[{i}]")
        for i, (key, at) in enumerate(_rows(raw, "suspended", 2))
    }
    reports = [
        (
            key,
            _text(note, f"care.reports[{i}]", REPORT_MAX_CHARS),
            _when(at, f"care.reports[{i}]"),
            _when(resolved, f"care.reports[{i}]", optional=True),
        )
        for i, (key, note, at, resolved) in enumerate(_rows(raw, "reports", 4))
    ]
    return {"notes": notes, "suspended": suspended, "reports": reports}


def keys_of(parsed: dict[str, Any]) -> set[str]:
    return (
        {key for key, *_ in parsed["notes"]}
        | set(parsed["suspended"])
        | {key for key, *_ in parsed["reports"]}
    )


def import_care(user: object, parsed: dict[str, Any], questions: dict) -> None:
    """Restore notes (the file's replace the account's), suspensions and reports
    (each once: importing the same file twice adds nothing). `questions` maps
    every key of the file to its question."""
    for key, text, at in parsed["notes"]:
        CardNote.objects.update_or_create(
            user=user,
            question=questions[key],
            defaults={"text": text, "updated_at": at},
        )
    have = set(
        Suspension.objects.filter(user=user).values_list("question__key", flat=True)
    )
    Suspension.objects.bulk_create(
        Suspension(user=user, question=questions[key], created_at=at)
        for key, at in parsed["suspended"].items()
        if key not in have
    )
    filed = set(
        ProblemReport.objects.filter(reporter=user).values_list(
            "question__key", "created_at"
        )
    )
    ProblemReport.objects.bulk_create(
        ProblemReport(
            question=questions[key],
            reporter=user,
            note=note,
            created_at=at,
            resolved_at=resolved,
        )
        for key, note, at, resolved in parsed["reports"]
        if (key, at) not in filed
    )

"""Writes of the care domain: suspend, unsuspend, notes, problem reports."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet

from cards.care.models import (
    NOTE_MAX_CHARS,
    REPORT_MAX_CHARS,
    CardNote,
    ProblemReport,
    Suspension,
)
from cards.models import Question


class CareError(ValueError):
    """Bad input: the message says what; nothing was written."""


def clean_text(text: str, *, limit: int, what: str) -> str:
    """Plain text as stored: LF line ends, no surrounding blanks, within `limit`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\x00" in text:
        raise CareError(f"The {what} contains a character that cannot be stored.")
    if len(text) > limit:
        raise CareError(
            f"The {what} is {len(text):,} characters long; the limit is {limit:,}."
        )
    return text


@transaction.atomic
def suspend_card(
    *, user: AbstractBaseUser, question: Question, now: datetime
) -> Suspension:
    suspension, _ = Suspension.objects.get_or_create(
        user=user, question=question, defaults={"created_at": now}
    )
    return suspension


def unsuspend_card(*, user: AbstractBaseUser, question: Question) -> bool:
    """Back in the queue, with the schedule it had (it may be overdue now)."""
    deleted, _ = Suspension.objects.filter(user=user, question=question).delete()
    return bool(deleted)


@transaction.atomic
def save_note(
    *, user: AbstractBaseUser, question: Question, text: str, now: datetime
) -> CardNote | None:
    """Store the learner's note; an empty note deletes it (returns None)."""
    text = clean_text(text, limit=NOTE_MAX_CHARS, what="note")
    if not text:
        CardNote.objects.filter(user=user, question=question).delete()
        return None
    note, _ = CardNote.objects.update_or_create(
        user=user, question=question, defaults={"text": text, "updated_at": now}
    )
    return note


def report_problem(
    *, user: AbstractBaseUser, question: Question, note: str, now: datetime
) -> ProblemReport:
    note = clean_text(note, limit=REPORT_MAX_CHARS, what="report")
    if not note:
        raise CareError("Say in a few words what is wrong with the question.")
    return ProblemReport.objects.create(
        question=question, reporter=user, note=note, created_at=now
    )


def resolve_reports(
    *, reports: QuerySet[ProblemReport], by: AbstractBaseUser, now: datetime
) -> int:
    """Mark the open ones among `reports` resolved; returns how many."""
    return reports.filter(resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=by
    )

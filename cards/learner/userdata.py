"""A learner's own data: export to canonical JSON, validated import, deletion.

The file holds the learner's settings, schedules and full review log, with
questions named by their stable `key` (a natural key), so it can be restored
into a new account or another installation with the same question bank.
Import is all-or-nothing and idempotent: a question that already has progress
keeps it, so importing the same file twice adds nothing the second time.
The file's fields and their validation are in userdata_file.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from cards import scheduling
from cards.learner.userdata_file import (
    FORMAT,
    FORMAT_VERSION,
    MAX_IMPORT_BYTES,
    REVIEW_FIELDS,
    SCHEDULE_FIELDS,
    SETTINGS_FIELDS,
    ImportConflict,
    ParsedData,
    UserDataError,
    dumps,
    parse_user_data,
)
from cards.models import (
    LearnerProfile,
    Question,
    ReviewLog,
    ReviewSchedule,
    profile_for,
)
from cards.reminders import services as reminders

__all__ = [
    "MAX_IMPORT_BYTES",
    "ImportConflict",
    "ImportResult",
    "UserDataError",
    "delete_account",
    "dumps",
    "export_user_data",
    "import_user_data",
    "parse_user_data",
]

_CENT = Decimal("0.01")


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
        "reminders": reminders.export(user=user),
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
    if data.reminders is not None:
        reminders.restore(user=user, data=data.reminders, now=timezone.now())

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
                _schedule(user, questions[s["question"]], s) for s in new
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


def _schedule(
    user: AbstractBaseUser, question: Question, record: dict
) -> ReviewSchedule:
    """An unsaved schedule: the record's fields, its state with its columns."""
    fields = {
        f: record[f] for f in SCHEDULE_FIELDS[1:] if f not in {"scheduler", "state"}
    }
    schedule = ReviewSchedule(user=user, question=question, **fields)
    state = scheduling.get(record["scheduler"]).loads(record["state"])
    schedule.apply(state, due_on=record["due_on"], scheduler=record["scheduler"])
    return schedule


@transaction.atomic
def delete_account(*, user: AbstractBaseUser) -> None:
    """Delete the learner with their settings, schedules and review history."""
    user.delete()

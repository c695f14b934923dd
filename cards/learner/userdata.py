"""A learner's own data: streamed export, validated import, deletion.

The file holds the learner's settings, schedules and full review log, with
questions named by their stable `key` (a natural key), so it can be restored
into a new account or another installation with the same question bank.
Import is all-or-nothing and idempotent: a question that already has progress
keeps it, so importing the same file twice adds nothing the second time.
The file's fields and their validation are in userdata_file.py, its
version 3 layout (gzipped JSON lines, streamed both ways) in userdata_stream.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import batched
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from cards import bulk, scheduling
from cards.bank.userdata import import_topics
from cards.care import userdata as care_userdata
from cards.learner import erasure, scheduler_switch, services
from cards.learner.userdata_file import (
    MAX_IMPORT_BYTES,
    REVIEW_FIELDS,
    SCHEDULE_FIELDS,
    ImportConflict,
    ParsedData,
    UserDataError,
)
from cards.learner.userdata_stream import (
    MAX_DECOMPRESSED_BYTES,
    export_stream,
    parse_user_data,
    read_user_data,
)
from cards.mock.userdata import import_mocks
from cards.models import LearnerProfile, Question, ReviewLog, ReviewSchedule
from cards.planning.userdata import import_plan
from cards.progress import rollup
from cards.reminders import services as reminders

__all__ = [
    "MAX_DECOMPRESSED_BYTES",
    "MAX_IMPORT_BYTES",
    "ImportConflict",
    "ImportResult",
    "UserDataError",
    "delete_account",
    "export_stream",
    "import_user_data",
    "parse_user_data",
    "read_user_data",
]


@dataclass(frozen=True)
class ImportResult:
    schedules_added: int
    reviews_added: int
    schedules_kept: int


# Import: writing -------------------------------------------------------------


@transaction.atomic
def import_user_data(
    *, user: AbstractBaseUser, data: ParsedData, now: datetime | None = None
) -> ImportResult:
    """Restore `data` into `user`'s account; questions with progress keep it."""
    # One import per learner at a time (a second waits for the first).
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    keys = {s["question"] for s in data.schedules}
    care_keys = care_userdata.keys_of(data.care) if data.care else set()
    questions = {q.key: q for q in Question.objects.filter(key__in=keys | care_keys)}
    unknown = sorted((keys | care_keys) - questions.keys())
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
    # A new time zone or day start waits for tomorrow, as in Settings.
    services.save_settings(profile=profile, now=now)
    if data.plan is not None:
        import_plan(user, data.plan)
    if data.reminders is not None:
        reminders.restore(user=user, data=data.reminders, now=now or timezone.now())
    if data.topics is not None:
        import_topics(user, data.topics)
    if data.care is not None:
        care_userdata.import_care(user, data.care, questions)

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
            schedule_ids = {s.question.key: s.pk for s in created}
            added = 0
            # In batches as they are read: a version 3 file's reviews stream.
            for batch in batched(data.reviews, bulk.BATCH_SIZE):
                logs = [
                    _log_values(user, schedule_ids, questions, r)
                    for r in batch
                    if r["question"] in fresh
                ]
                added += bulk.insert_values(ReviewLog, logs)
                # The progress page's per-day counts.
                rollup.record_many(SimpleNamespace(**log) for log in logs)
            # After the reviews: their confirmations link to the logs just added.
            import_mocks(user, data.mocks)
    except IntegrityError:
        raise ImportConflict(
            "Your progress changed while importing (another tab?). Nothing was "
            "imported; please try again."
        ) from None
    # FSRS (issue 19): cards the file gave another scheduler than the settings
    # it brought are converted, as a switch would (due dates and log kept).
    scheduler_switch.convert_schedules(
        user=user,
        to=profile.scheduler,
        today=profile.study_day(now or timezone.now()),
        retention=profile.retention,
    )
    return ImportResult(
        schedules_added=len(created),
        reviews_added=added,
        schedules_kept=len(data.schedules) - len(new),
    )


def _log_values(
    user: AbstractBaseUser,
    schedule_ids: dict[str, int],
    questions: dict[str, Question],
    record: dict,
) -> dict:
    """A review log row's values (cards.bulk): the record's fields, its links."""
    key = record["question"]
    values = {f: record[f] for f in REVIEW_FIELDS[1:]}
    values.update(
        user_id=user.pk, schedule_id=schedule_ids[key], question_id=questions[key].pk
    )
    return values


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


def delete_account(*, user: AbstractBaseUser) -> None:
    """Delete the learner with their settings, schedules, history and traces."""
    erasure.delete_person(user=user)

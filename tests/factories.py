"""Keyword-only factories with sensible defaults (no factory_boy)."""

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.text import slugify

from cards.bulk import insert_values
from cards.models import (
    LearnerProfile,
    Level,
    Question,
    ReviewKind,
    ReviewLog,
    ReviewSchedule,
    Topic,
    make_key,
)
from cards.progress import rollup
from cards.scheduling.sm2 import SM2, CardState

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-9"


def make_user(
    *,
    username: str | None = None,
    password: str = PASSWORD,
    email: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    time_zone: str = "UTC",
    rollover_hour: int = 4,
    **profile: object,
):
    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=username or f"learner{n}",
        email=email or f"learner{n}@example.com",
        password=password,
        is_staff=is_staff or is_superuser,
        is_superuser=is_superuser,
    )
    LearnerProfile.objects.create(
        user=user, time_zone=time_zone, rollover_hour=rollover_hour, **profile
    )
    return user


def make_question(
    *,
    prompt: str | None = None,
    answer: str = "A **reference** answer.",
    level: int = Level.BASIC,
    position: int | None = None,
    is_active: bool = True,
    key: str | None = None,
    topics: tuple = (),
) -> Question:
    n = next(_seq)
    prompt = prompt or f"Question number {n}?"
    question = Question.objects.create(
        key=key or f"{make_key(prompt)}-{n}",
        prompt=prompt,
        answer=answer,
        level=level,
        position=n if position is None else position,
        is_active=is_active,
    )
    if topics:
        question.topics.set(topics)
    return question


def make_topic(*, name: str | None = None, is_opt_in: bool = False, order: int = 0):
    n = next(_seq)
    name = name or f"Topic {n}"
    return Topic.objects.create(
        name=name, slug=f"{slugify(name)}-{n}", order=order, is_opt_in=is_opt_in
    )


def sm2_fields(
    repetitions: int = 0, interval_days: int = 0, ease: Decimal | str = "2.50"
) -> dict:
    """An SM-2 state as ReviewSchedule stores it: the JSON and its columns."""
    state = SM2().dumps(CardState(repetitions, interval_days, Decimal(ease)))
    return {
        "scheduler": SM2.name,
        "state": state,
        "repetitions": repetitions,
        "interval_days": interval_days,
        "ease": Decimal(state["ease"]),
    }


def sm2_state(repetitions: int = 0, interval_days: int = 0, ease="2.50") -> dict:
    return sm2_fields(repetitions, interval_days, ease)["state"]


def make_schedule(
    *,
    user,
    question: Question | None = None,
    due_on: date = date(2026, 1, 5),
    repetitions: int = 2,
    interval_days: int = 6,
    ease: Decimal | str = "2.50",
    lapses: int = 0,
    version: int = 2,
    redrill_on: date | None = None,
) -> ReviewSchedule:
    return ReviewSchedule.objects.create(
        user=user,
        question=question or make_question(),
        due_on=due_on,
        lapses=lapses,
        version=version,
        redrill_on=redrill_on,
        **sm2_fields(repetitions, interval_days, ease),
    )


def make_log(
    *,
    schedule: ReviewSchedule,
    grade: int = 4,
    kind: str = ReviewKind.REVIEW,
    reviewed_at: datetime,
    study_day: date,
    from_version: int = 0,
    before: tuple = (0, 0, "2.50"),
    after: tuple = (1, 1, "2.50"),
    due_after: date | None = None,
    duration_ms: int | None = None,
    save: bool = True,
) -> ReviewLog:
    """A review-log row written by hand (histories the service would take long
    to build); `before` and `after` are SM-2 (repetitions, interval, ease)."""
    log = ReviewLog(
        user_id=schedule.user_id,
        schedule=schedule,
        question_id=schedule.question_id,
        kind=kind,
        grade=grade,
        reviewed_at=reviewed_at,
        study_day=study_day,
        duration_ms=duration_ms,
        from_version=from_version,
        scheduler=SM2.name,
        state_before=sm2_state(*before),
        due_before=None if kind == ReviewKind.NEW else study_day,
        lapses_before=0,
        state_after=sm2_state(*after),
        due_after=due_after or study_day + timedelta(days=after[1]),
    )
    if save:
        log.save()
        # As every writer of the log: the progress page reads the rollup.
        rollup.record_log(log)
    return log


def insert_rows(objs: list, *, batch_size: int = 5_000) -> int:
    """Insert unsaved model instances through cards.bulk.insert_values, for
    long setup histories (tests/progress/test_views.bulk_history's 29,200 log
    rows 4.8 -> 3.6 CPU-s on SQLite against bulk_create, no gain on
    PostgreSQL). The objects get no primary key back; returns the number of rows."""
    if not objs:
        return 0
    model = type(objs[0])
    fields = [
        f
        for f in model._meta.local_concrete_fields
        if not isinstance(f, models.AutoField)
    ]
    return insert_values(
        model,
        ({f.attname: f.pre_save(obj, True) for f in fields} for obj in objs),
        batch_size=batch_size,
    )


# The question admin's key-point inline: an empty management form leaves the
# stored key points as they are.
NO_KEY_POINT_FORMS = {"key_points-TOTAL_FORMS": "0", "key_points-INITIAL_FORMS": "0"}


def make_reminder(*, user, hour: int = 8, weekdays: int = 0b1111111, now: datetime):
    """Reminders on, the address verified, the next send computed from `now`."""
    from cards.models import ReminderSettings
    from cards.reminders import services

    reminder = ReminderSettings(
        user=user, is_enabled=True, hour=hour, weekdays=weekdays
    )
    reminder.verified_email = user.email
    services.reschedule(reminder, now=now)
    reminder.save()
    return reminder

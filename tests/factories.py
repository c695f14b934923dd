"""Keyword-only factories with sensible defaults (no factory_boy)."""

import itertools
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from cards.models import LearnerProfile, Level, Question, ReviewSchedule, make_key

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
) -> Question:
    n = next(_seq)
    prompt = prompt or f"Question number {n}?"
    return Question.objects.create(
        key=key or f"{make_key(prompt)}-{n}",
        prompt=prompt,
        answer=answer,
        level=level,
        position=n if position is None else position,
        is_active=is_active,
    )


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
        repetitions=repetitions,
        interval_days=interval_days,
        ease=Decimal(ease),
        lapses=lapses,
        version=version,
        redrill_on=redrill_on,
    )

"""Simulated learners for the benchmark data: the real SM-2 scheduler, day by day.

Pure Python (no Django): each learner studies on most days of their history in
their own time zone, answers what is due (most overdue first), then new cards up
to their daily limit, re-drills every answer below 4 until it is 4 or 5, and
each answer is turned into exactly the rows `services.record_review` would
write: its kind comes from the answer rule (cards/review/answer.py). Rows come out as PostgreSQL COPY text lines (tab-separated, \\N for
NULL) because that is the fastest form to produce and to load; the generic
writer splits them again.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from cards.review import answer
from cards.scheduling import sm2
from cards.scheduling.days import study_day

SM2 = sm2.SM2()

NULL = "\\N"
HEAVY_USERNAME = "bench-heavy"
# The heavy learner's year at a tenth of its pace (1 new card a day against 10):
# the same days studied, a tenth of the log and of the deck. Issue 12's
# "heavy learner (10x log) / normal" compares the two.
TENTH_USERNAME = "bench-tenth"
USERNAME_PREFIX = "bench-"
# Realistic spread of learners' time zones, from UTC-8 to UTC+14.
TIME_ZONES = (
    ("UTC", 2),
    ("Europe/London", 3),
    ("Europe/Berlin", 4),
    ("America/New_York", 4),
    ("America/Los_Angeles", 3),
    ("America/Sao_Paulo", 1),
    ("Asia/Kolkata", 4),
    ("Asia/Singapore", 2),
    ("Asia/Tokyo", 1),
    ("Australia/Sydney", 1),
    ("Pacific/Kiritimati", 1),
)


@dataclass(frozen=True)
class Scale:
    learners: int
    questions: int  # questions every regular learner has started (schedules each)
    history_days: tuple[int, int]  # range of regular learners' history lengths
    new_per_day: tuple[int, ...]  # regular learners' new-card limits (drawn)
    heavy_days: int
    heavy_new_per_day: int
    heavy_min_reviews: int  # the generator fails loudly below this

    def bank_size(self) -> int:
        """Questions in the bank: enough for the heavy learner's year as well."""
        return max(self.questions, self.heavy_days * self.heavy_new_per_day)


# S and L share the heavy learner (same history), so the L/S ratio of the
# progress page shows how its queries scale with everyone else's rows.
_HEAVY = {"heavy_days": 365, "heavy_new_per_day": 10, "heavy_min_reviews": 50_000}
SCALES = {
    "XS": Scale(
        learners=4,
        questions=12,
        history_days=(12, 12),
        new_per_day=(2, 3),
        heavy_days=20,
        heavy_new_per_day=2,
        heavy_min_reviews=40,
    ),
    # 400 learners: enough unused accounts for the warm-up, three rounds and the
    # open loop (100 ran out at 12 accounts per learner).
    "S": Scale(
        learners=400,
        questions=100,
        history_days=(30, 30),
        new_per_day=(10, 10, 10, 15, 20),
        **_HEAVY,
    ),
    # Long enough for every learner to start all 500 questions at their pace.
    "L": Scale(
        learners=2_000,
        questions=500,
        history_days=(45, 60),
        new_per_day=(15, 20, 20, 25),
        **_HEAVY,
    ),
}


@dataclass(frozen=True)
class LearnerSpec:
    user_id: int
    username: str
    time_zone: str
    rollover_hour: int
    new_per_day: int
    reviews_per_day: int
    six_grades: bool
    skill: float  # chance of recalling a due card on time
    study_chance: float  # chance of studying on a given day
    first_day: date
    last_day: date  # yesterday in the learner's own study days
    deck: int  # how many questions (in bank order) the learner may start


@dataclass(frozen=True, slots=True)
class _Days:
    """What the answer rule reads of a schedule, as day ordinals."""

    due_on: int
    redrill_on: int | None


class Ids:
    """Primary keys handed out in insertion order, so COPY can set them."""

    def __init__(self, *, schedule: int, log: int) -> None:
        self.schedule = schedule
        self.log = log


@cache
def _next(
    reps: int, interval: int, ease_cents: int, grade: int
) -> tuple[int, int, int]:
    # The real scheduler, memoised: a few thousand distinct states cover
    # millions of answers.
    new = sm2.next_state(
        sm2.CardState(
            repetitions=reps, interval_days=interval, ease=Decimal(ease_cents) / 100
        ),
        grade=grade,
        max_interval_days=sm2.MAX_INTERVAL_DAYS,
    )
    return new.repetitions, new.interval_days, int(new.ease * 100)


@cache
def _ease_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


@cache
def _state_text(reps: int, interval: int, ease_cents: int) -> str:
    """The SM-2 state as ReviewSchedule.state holds it (SM2.dumps), as JSON text."""
    return json.dumps(
        {"ease": _ease_text(ease_cents), "interval_days": interval, "repetitions": reps}
    )


@cache
def _day_text(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def learner_specs(
    scale: Scale, *, seed: int, now: datetime, first_user_id: int
) -> list[LearnerSpec]:
    """Regular learners, then the heavy learner, then its tenth (TENTH_USERNAME)."""
    rng = random.Random(f"{seed}:profiles")
    zones = [z for z, weight in TIME_ZONES for _ in range(weight)]
    specs = []
    for i in range(scale.learners + 2):
        heavy = i >= scale.learners
        tenth = i == scale.learners + 1
        tz = "Europe/Berlin" if heavy else rng.choice(zones)
        yesterday = study_day(now, tz=ZoneInfo(tz), rollover_hour=4) - timedelta(days=1)
        new_per_day = (
            scale.heavy_new_per_day if heavy else rng.choice(scale.new_per_day)
        )
        if tenth:
            new_per_day = max(1, scale.heavy_new_per_day // 10)
        study_chance = 1.0 if heavy else rng.uniform(0.7, 0.98)
        days = scale.heavy_days if heavy else rng.randint(*scale.history_days)
        # Enough days to start the whole deck, with a margin for skipped days.
        if not heavy:
            needed = scale.questions / new_per_day / study_chance
            days = max(days, int(needed * 1.25) + 5)
        if tenth:
            username = TENTH_USERNAME
        elif heavy:
            username = HEAVY_USERNAME
        else:
            username = f"{USERNAME_PREFIX}u{i + 1:05d}"
        specs.append(
            LearnerSpec(
                user_id=first_user_id + i,
                username=username,
                time_zone=tz,
                rollover_hour=4,
                new_per_day=new_per_day,
                reviews_per_day=1_000 if heavy else 200,
                six_grades=not heavy and rng.random() < 0.15,
                skill=0.88 if heavy else rng.uniform(0.82, 0.96),
                study_chance=study_chance,
                first_day=yesterday - timedelta(days=days - 1),
                last_day=yesterday,
                deck=scale.bank_size() if heavy else scale.questions,
            )
        )
    return specs


def _grade(rng: random.Random, p_recall: float, six: bool) -> int:
    if rng.random() < p_recall:
        r = rng.random()
        return 3 if r < 0.15 else 4 if r < 0.8 else 5
    if six:
        return rng.choice((0, 1, 1, 2))
    return 1


def simulate(
    spec: LearnerSpec, question_ids: list[int], ids: Ids, *, seed: int
) -> tuple[list[str], list[str]]:
    """Schedule lines and review-log lines (COPY text format) of one learner."""
    rng = random.Random(f"{seed}:learner:{spec.username}")
    tz = ZoneInfo(spec.time_zone)
    deck = question_ids[: spec.deck]
    n = len(deck)
    difficulty = [rng.uniform(-0.08, 0.12) for _ in range(n)]
    reps = [0] * n
    ivl = [0] * n
    ease = [250] * n
    due = [0] * n
    lapses = [0] * n
    version = [0] * n
    last_at: list[str] = [NULL] * n
    created: list[str] = [NULL] * n
    sched_id = [0] * n
    buckets: dict[int, list[int]] = {}
    overdue: list[int] = []
    started = 0
    logs: list[str] = []
    user = spec.user_id

    for d in range(spec.first_day.toordinal(), spec.last_day.toordinal() + 1):
        overdue.extend(buckets.pop(d, ()))
        if rng.random() >= spec.study_chance:
            continue
        todo: list[int] = []
        if overdue:
            overdue.sort(key=lambda c: (d - due[c]) / (ivl[c] or 1), reverse=True)
            todo = overdue[: spec.reviews_per_day]
            overdue = overdue[spec.reviews_per_day :]
        fresh = min(spec.new_per_day, n - started)
        todo.extend(range(started, started + fresh))
        started += fresh
        day = date.fromordinal(d)
        start = datetime(
            day.year,
            day.month,
            day.day,
            rng.randint(7, 20),
            rng.randint(0, 59),
            tzinfo=tz,
        ).astimezone(UTC)
        clock = 0.0
        day_text = _day_text(d)
        for c in todo:
            # Days are ordinals here; the rule only compares them.
            started_card = None if version[c] == 0 else _Days(due[c], None)
            kind = answer.kind_of(started_card, today=d)
            if kind == "new":
                p = spec.skill * 0.75
                sched_id[c] = ids.schedule
                ids.schedule += 1
                due[c] = d
            else:
                p = (
                    spec.skill
                    - difficulty[c]
                    - 0.1 * min(1.0, (d - due[c]) / (ivl[c] or 1))
                )
            grade = _grade(rng, p, spec.six_grades)
            while True:
                clock += rng.lognormvariate(1.8 if kind == "new" else 1.5, 0.6) + 1.0
                at = (start + timedelta(seconds=clock)).isoformat(sep=" ")
                duration = min(int(rng.lognormvariate(8.6, 0.6)), 600_000)
                r0, i0, e0, due0, l0, v0, last0 = (
                    reps[c],
                    ivl[c],
                    ease[c],
                    due[c],
                    lapses[c],
                    version[c],
                    last_at[c],
                )
                if kind != "redrill":
                    r1, i1, e1 = _next(r0, i0, e0, grade)
                    reps[c], ivl[c], ease[c] = r1, i1, e1
                    due[c] = d + i1
                    if grade < sm2.PASSING_GRADE and r0 > 0:  # SM2.is_learned
                        lapses[c] = l0 + 1
                redrill_before = day_text if kind == "redrill" else NULL
                version[c] = v0 + 1
                last_at[c] = at
                if kind == "new":
                    created[c] = at
                logs.append(
                    f"{ids.log}\t{user}\t{sched_id[c]}\t{deck[c]}\t{kind}\t{grade}\t"
                    f"{at}\t{day_text}\t{duration}\t{v0}\t{SM2.name}\t"
                    f"{_state_text(r0, i0, e0)}\t"
                    f"{NULL if kind == 'new' else _day_text(due0)}\t{l0}\t"
                    f"{redrill_before}\t{last0}\t{_state_text(reps[c], ivl[c], ease[c])}\t"
                    f"{_day_text(due[c])}"
                )
                ids.log += 1
                if not SM2.needs_redrill(grade):
                    break
                # Re-drilled the same day until it is answered 4 or 5 (SM-2 step 7).
                kind = answer.kind_of(_Days(due[c], d), today=d)
                grade = 4 if rng.random() < 0.55 else 5 if rng.random() < 0.5 else 3
            buckets.setdefault(due[c], []).append(c)

    schedules = [
        f"{sched_id[c]}\t{user}\t{deck[c]}\t{SM2.name}\t"
        f"{_state_text(reps[c], ivl[c], ease[c])}\t{reps[c]}\t{ivl[c]}\t"
        f"{_ease_text(ease[c])}\t{_day_text(due[c])}\t{lapses[c]}\t{NULL}\t"
        f"{last_at[c]}\t{version[c]}\t{created[c]}"
        for c in range(started)
    ]
    return schedules, logs


SCHEDULE_COLUMNS = [
    "id",
    "user_id",
    "question_id",
    "scheduler",
    "state",
    "repetitions",
    "interval_days",
    "ease",
    "due_on",
    "lapses",
    "redrill_on",
    "last_reviewed_at",
    "version",
    "created_at",
]
LOG_COLUMNS = [
    "id",
    "user_id",
    "schedule_id",
    "question_id",
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
]

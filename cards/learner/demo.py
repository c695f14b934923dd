"""The demo learner: a year of study simulated through the real grading service.

Every answer goes through `services.record_review` at its simulated moment, and
each day's cards come from the queue's own due query, so the history has
exactly the shape a learner's would. Only recall is simulated: the chance of remembering
falls with the time since the last answer relative to the card's interval and
ease, and harder levels are forgotten sooner. Development use only.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from cards.bank import topics
from cards.models import (
    LearnerProfile,
    LearnerTopic,
    Level,
    Question,
    ReviewLog,
    ReviewSchedule,
    Topic,
)
from cards.review import queue_sql, services

USERNAME = "demo"
PASSWORD = "demo-prep-2026"
EMAIL = "demo@example.invalid"  # marks the account as the one this module owns
TIME_ZONE = "Europe/London"  # has both DST changes inside a year of history
KEY_PREFIX = "demo-"
QUESTIONS = 300  # demo questions added to the bank, so the charts fill up

TOPICS = (
    "tokenization",
    "self-attention",
    "positional encodings",
    "the KV cache",
    "retrieval-augmented generation",
    "vector databases",
    "embedding models",
    "LoRA fine-tuning",
    "RLHF",
    "direct preference optimisation",
    "quantisation",
    "speculative decoding",
    "mixture-of-experts models",
    "context-window extension",
    "hallucination",
    "prompt injection",
    "LLM evaluation",
    "guardrails",
    "agents and tool use",
    "distillation",
    "temperature and top-p sampling",
    "instruction tuning",
    "chunking strategies",
    "re-ranking",
    "diffusion models",
)
FRAMES = (
    "Explain {} to a product manager in two minutes.",
    "What are the main trade-offs of {}?",
    "How would you debug a production problem with {}?",
    "Which metrics would you track for {}, and why?",
)


class DemoAccountTaken(Exception):
    """A real learner already uses the demo user name."""


@dataclass
class Result:
    questions_added: int = 0
    days_studied: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def ensure_questions(count: int) -> int:
    """Add demo questions up to `count`; returns how many were added."""
    wanted = {
        f"{KEY_PREFIX}{i:03d}": (
            FRAMES[(i // len(TOPICS)) % len(FRAMES)].format(TOPICS[i % len(TOPICS)]),
            Level.values[i % len(Level.values)],
        )
        for i in range(count)
    }
    existing = set(
        Question.objects.filter(key__in=wanted).values_list("key", flat=True)
    )
    missing = [
        Question(
            key=key,
            prompt=f"{prompt} (demo {key[len(KEY_PREFIX) :]})",
            answer="A demo card made by `manage.py seed_demo`: its answer is a "
            "placeholder.",
            level=level,
            position=1000 + int(key[len(KEY_PREFIX) :]),
        )
        for key, (prompt, level) in wanted.items()
        if key not in existing
    ]
    Question.objects.bulk_create(missing)
    # Issue 16: the placeholders live in an opt-in topic that only the demo
    # learner studies, so no other learner meets them (queue, browse, counts).
    topic = demo_topic()
    topic.questions.add(*Question.objects.filter(key__startswith=KEY_PREFIX))
    return len(missing)


def demo_topic() -> Topic:
    topic, _ = Topic.objects.get_or_create(
        slug=topics.DEMO_SLUG,
        defaults={"name": topics.DEMO_NAME, "order": 1000, "is_opt_in": True},
    )
    if not topic.is_opt_in:
        topic.is_opt_in = True
        topic.save(update_fields=["is_opt_in"])
    return topic


def reset_user(*, username: str, password: str) -> object:
    """Delete the demo account (with its history) and create it afresh."""
    user_model = get_user_model()
    old = user_model.objects.filter(username=username).first()
    if old is not None:
        if old.email != EMAIL:
            raise DemoAccountTaken(username)
        old.delete()
    user = user_model.objects.create_user(
        username=username, email=EMAIL, password=password
    )
    LearnerProfile.objects.create(user=user, time_zone=TIME_ZONE, rollover_hour=4)
    return user


class Learner:
    """Simulated memory: hidden difficulty per question, recall by elapsed time."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.difficulty: dict[int, float] = {}

    def hardness(self, question: Question) -> float:
        if question.pk not in self.difficulty:
            base = {1: 0.15, 2: 0.35, 3: 0.55}[question.level]
            self.difficulty[question.pk] = min(
                0.95, max(0.0, self.rng.gauss(base, 0.15))
            )
        return self.difficulty[question.pk]

    def recall(
        self, schedule: ReviewSchedule | None, question: Question, day: date
    ) -> float:
        hard = self.hardness(question)
        if schedule is None:
            return 0.6 - 0.35 * hard  # a first answer: known beforehand or not
        interval = max(1, schedule.interval_days)
        elapsed = max(1, (day - (schedule.due_on - timedelta(days=interval))).days)
        stability = interval * (float(schedule.ease) / 2.5) * (1.15 - 0.5 * hard)
        return math.exp(math.log(0.9) * elapsed / stability)

    def grade(
        self, p_recall: float, question: Question, *, redrill: bool = False
    ) -> int:
        hard = self.hardness(question)
        rng = self.rng
        if rng.random() < p_recall:
            if redrill:
                return 5 if rng.random() < 0.25 else 4
            r = rng.random()
            easy, tough = 0.3 + 0.3 * (1 - hard), 0.06 + 0.16 * hard
            return 5 if r < easy else 3 if r < easy + tough else 4
        if redrill:
            return rng.choice((3, 3, 2, 1))
        return rng.choices((2, 1, 0), weights=(45, 40, 15))[0]

    def seconds(self, *, new: bool, grade: int) -> float:
        mean = 38 if new else 16 if grade >= 4 else 24
        return min(300.0, self.rng.lognormvariate(math.log(mean), 0.45))


def _studies_on(rng: random.Random, index: int, days: int) -> bool:
    if index >= days - 21:
        return True  # a current streak to show
    if days // 3 <= index < days // 3 + 6:
        return False  # a week off
    return rng.random() > 0.12


def simulate(*, user: object, now: datetime, days: int, rng: random.Random) -> int:
    """Study `days` study days ending today; returns the number of days studied."""
    profile = user.profile
    tz = profile.tzinfo
    today = profile.study_day(now)
    learner = Learner(rng)
    unstarted = list(
        Question.objects.active().order_by("stage", "level", "position", "id")
    )
    # Mix the levels the way a learner picking from each would.
    rng.shuffle(unstarted)
    studied = 0
    for index in range(days):
        day = today - timedelta(days=days - 1 - index)
        if not _studies_on(rng, index, days):
            continue
        studied += 1
        hour = rng.choice((7, 7, 8, 12, 19, 20, 21))
        start = datetime.combine(day, time(hour, rng.randrange(60)), tz)
        if day == today:
            start = max(
                datetime.combine(day, time(profile.rollover_hour, 1), tz),
                now - timedelta(minutes=45),
            )
        due = list(
            queue_sql.due_reviews_for(user, day).select_related("question")[
                : profile.reviews_per_day
            ]
        )
        fresh = [
            unstarted.pop() for _ in range(rng.choice((0, 0, 1, 1, 1, 2))) if unstarted
        ]
        if day == today:
            # Leave part of today's work for the learner to see as due.
            due = due[: math.ceil(len(due) * 0.6)]
        moment = start
        again: list[tuple[Question, int]] = []
        for schedule, question in [(s, s.question) for s in due] + [
            (None, q) for q in fresh
        ]:
            p = learner.recall(schedule, question, day)
            grade = learner.grade(p, question)
            moment = _answer(
                user,
                question,
                grade,
                schedule.version if schedule else 0,
                moment,
                learner,
                new=schedule is None,
                now=now,
                again=again,
            )
            if moment is None:
                return studied
        for _ in range(3):  # SM-2 step 7: re-drill until 4 or 5
            pending, again = again, []
            for question, version in pending:
                grade = learner.grade(0.72, question, redrill=True)
                moment = _answer(
                    user,
                    question,
                    grade,
                    version,
                    moment,
                    learner,
                    new=False,
                    now=now,
                    again=again,
                )
                if moment is None:
                    return studied
    return studied


def _answer(
    user: object,
    question: Question,
    grade: int,
    version: int,
    moment: datetime,
    learner: Learner,
    *,
    new: bool,
    now: datetime,
    again: list[tuple[Question, int]],
) -> datetime | None:
    seconds = learner.seconds(new=new, grade=grade)
    answered = moment + timedelta(seconds=seconds)
    if answered > now:
        return None  # never write history in the future
    log = services.record_review(
        user=user,
        question=question,
        grade=grade,
        version=version,
        now=answered,
        duration_ms=round(seconds * 1000),
    )
    if grade < 4:
        again.append((question, log.from_version + 1))
    return answered + timedelta(seconds=learner.rng.uniform(2, 8))


@transaction.atomic
def seed(
    *,
    now: datetime,
    days: int = 365,
    questions: int = QUESTIONS,
    seed_value: int = 2026,
    username: str = USERNAME,
    password: str = PASSWORD,
) -> Result:
    result = Result(questions_added=ensure_questions(questions) if questions else 0)
    user = reset_user(username=username, password=password)
    LearnerTopic.objects.create(user=user, topic=demo_topic(), is_studied=True)
    result.days_studied = simulate(
        user=user, now=now, days=days, rng=random.Random(seed_value)
    )
    result.counts = {
        "review log rows": ReviewLog.objects.filter(user=user).count(),
        "schedules": ReviewSchedule.objects.filter(user=user).count(),
        "active questions": Question.objects.active().count(),
    }
    return result

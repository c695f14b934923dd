"""Write the simulated benchmark data: PostgreSQL COPY, or bulk_create elsewhere.

Only the bench command calls this. On PostgreSQL everything happens in one
transaction: truncate, drop the review tables' secondary indexes and foreign
keys, COPY, rebuild them (which re-checks the unique and foreign-key
constraints over the generated rows), reset the sequences. A failure leaves
the previous data in place.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Sum

from bench import simulate, writers
from cards.models import (
    LearnerProfile,
    Level,
    Question,
    ReviewLog,
    ReviewSchedule,
    StudyDay,
    make_key,
)
from cards.progress import rollup

PASSWORD = "bench-password-1"  # every bench learner's; the bench database only
META_USERNAME = "bench-meta"
CHUNK_LEARNERS = 100


class NotABenchDatabase(Exception):
    pass


@dataclass
class Report:
    scale: str
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def is_empty() -> bool:
    User = get_user_model()
    return not (User.objects.exists() or Question.objects.exists())


def is_bench() -> bool:
    """True when every user and question was made by this generator."""
    User = get_user_model()
    prefix = simulate.USERNAME_PREFIX
    return (
        User.objects.filter(username=META_USERNAME).exists()
        and not User.objects.exclude(username__startswith=prefix).exists()
        and not Question.objects.exclude(key__startswith=prefix).exists()
    )


def meta() -> dict | None:
    """What the generator recorded about the data in this database, if anything."""
    row = (
        get_user_model()
        .objects.filter(username=META_USERNAME)
        .values_list("last_name", flat=True)
        .first()
    )
    return json.loads(row) if row else None


def _question_texts() -> list[tuple[str, str]]:
    path = Path(settings.BASE_DIR) / "fixtures" / "questions.json"
    rows = json.loads(path.read_text())
    return [(r["fields"]["prompt"], r["fields"]["answer"]) for r in rows]


def _small_tables(
    scale: simulate.Scale, specs: list[simulate.LearnerSpec], now: datetime, seed: int
) -> dict[str, list[dict]]:
    """Users, profiles and questions as column dicts (ids included)."""
    password = make_password(PASSWORD)  # hashed once: ~0.5 s of PBKDF2 each
    first_id = specs[0].user_id
    users = [
        {
            "id": first_id - 1,
            "password": "!",  # unusable: nobody logs in as the marker
            "last_login": None,
            "is_superuser": False,
            "username": META_USERNAME,
            "first_name": "",
            "last_name": json.dumps(
                {"scale": scale_name(scale), "seed": seed, "at": now.isoformat()}
            ),
            "email": "",
            "is_staff": False,
            "is_active": False,
            "date_joined": now,
        }
    ]
    profiles = []
    for s in specs:
        users.append(
            {
                "id": s.user_id,
                "password": password,
                "last_login": None,
                "is_superuser": False,
                "username": s.username,
                "first_name": "",
                "last_name": "",
                "email": f"{s.username}@bench.invalid",
                "is_staff": False,
                "is_active": True,
                "date_joined": datetime.combine(s.first_day, datetime.min.time(), UTC),
            }
        )
        profiles.append(
            {
                "id": s.user_id,
                "user_id": s.user_id,
                "time_zone": s.time_zone,
                "rollover_hour": s.rollover_hour,
                "new_cards_per_day": s.new_per_day,
                "reviews_per_day": s.reviews_per_day,
                "grade_scale": "six" if s.six_grades else "four",
                "created_at": now,
                "updated_at": now,
            }
        )
    texts = _question_texts()
    rng = random.Random(f"{seed}:questions")
    bank = scale.bank_size()
    per_level = -(-bank // 3)
    questions = []
    for i in range(bank):
        prompt, answer = texts[i % len(texts)]
        prompt = f"{prompt} (variant {i + 1})"
        questions.append(
            {
                "id": i + 1,
                "key": f"{simulate.USERNAME_PREFIX}{i + 1:05d}-{make_key(prompt)[:40]}",
                "level": (Level.BASIC, Level.INTERMEDIATE, Level.ADVANCED)[
                    i // per_level
                ],
                "position": i % per_level + 1,
                "prompt": prompt,
                "answer": answer if rng.random() < 0.7 else f"{answer}\n\n{answer}",
                "is_active": True,
                "created_at": now - timedelta(days=400),
                "updated_at": now - timedelta(days=400),
            }
        )
    return {"users": users, "profiles": profiles, "questions": questions}


def scale_name(scale: simulate.Scale) -> str:
    return next(name for name, s in simulate.SCALES.items() if s == scale)


def generate(*, scale: str, seed: int = 1, force: bool = False, log=print) -> Report:
    """Replace the database's content with scale `scale`'s simulated learners."""
    if not is_empty() and not is_bench() and not force:
        raise NotABenchDatabase(
            "This database holds data that the bench generator did not make; "
            "refusing to replace it (use --force to wipe it anyway)."
        )
    spec = simulate.SCALES[scale]
    now = datetime.now(UTC).replace(microsecond=0)
    report = Report(scale=scale)
    started = time.perf_counter()
    specs = simulate.learner_specs(spec, seed=seed, now=now, first_user_id=2)
    small = _small_tables(spec, specs, now, seed)
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        _wipe(postgres)
        writer = writers.CopyWriter() if postgres else writers.BulkWriter()
        dropped = writer.drop_indexes()
        writer.small(small)
        question_ids = [q["id"] for q in small["questions"]]
        ids = simulate.Ids(schedule=1, log=1)
        heavy = 0
        t0 = time.perf_counter()
        for start in range(0, len(specs), CHUNK_LEARNERS):
            chunk = specs[start : start + CHUNK_LEARNERS]
            schedules: list[str] = []
            with writer.logs() as write_logs:
                for learner in chunk:
                    rows, logs = simulate.simulate(
                        learner, question_ids, ids, seed=seed
                    )
                    if learner.username == simulate.HEAVY_USERNAME:
                        heavy = len(logs)
                    schedules.extend(rows)
                    write_logs(logs)
            writer.schedules(schedules)
            done = start + len(chunk)
            if done % 500 < CHUNK_LEARNERS or done == len(specs):
                log(f"  {done}/{len(specs)} learners, {ids.log - 1:,} reviews")
        report.seconds["simulate+load"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        writer.restore_indexes(dropped)
        _reset_sequences()
        # The progress page's per-day rollup, in one INSERT ... SELECT ... GROUP BY.
        with connection.cursor() as cursor:
            cursor.execute(rollup.BACKFILL_SQL)
        # bulk_create stamps auto_now fields with the insert time; the harness
        # reads a later updated_at as "reconfigured since generation".
        LearnerProfile.objects.update(updated_at=now)
        report.seconds["indexes+constraints"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if postgres:
        with connection.cursor() as cursor:
            if connection.in_atomic_block:  # a test's transaction: no VACUUM there
                cursor.execute("ANALYZE")
            else:
                # Sets the visibility map, so index-only scans work from the start.
                cursor.execute("VACUUM (ANALYZE)")
    report.seconds["vacuum+analyze"] = time.perf_counter() - t0
    report.counts = verify(spec, heavy_reviews=heavy)
    report.seconds["total"] = time.perf_counter() - started
    info = {**meta(), "seconds": round(report.seconds["total"], 1)}
    get_user_model().objects.filter(username=META_USERNAME).update(
        last_name=json.dumps(info)
    )
    return report


def verify(spec: simulate.Scale, *, heavy_reviews: int) -> dict[str, int]:
    """Counts, and I1 over the generated data; raises AssertionError if off."""
    learners = get_user_model().objects.filter(is_active=True).count()
    schedules = ReviewSchedule.objects.count()
    logs = ReviewLog.objects.count()
    versions = ReviewSchedule.objects.aggregate(v=Sum("version"))["v"] or 0
    regular = spec.learners * spec.questions
    assert learners == spec.learners + 2, learners  # + heavy and its tenth
    assert schedules >= regular, (schedules, regular)
    assert versions == logs, f"I1: schedule versions {versions} != log rows {logs}"
    rolled = StudyDay.objects.aggregate(n=Sum("reviews"))["n"] or 0
    assert rolled == logs, f"rollup: {rolled} answers in cards_studyday != {logs}"
    assert heavy_reviews >= spec.heavy_min_reviews, heavy_reviews
    return {
        "learners": learners,
        "questions": Question.objects.count(),
        "schedules": schedules,
        "review_logs": logs,
        "heavy_learner_reviews": heavy_reviews,
    }


def _wipe(postgres: bool) -> None:
    if postgres:
        # Deferred foreign-key checks still pending block TRUNCATE: run them now.
        connection.check_constraints()
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE cards_reviewlog, cards_reviewschedule, cards_learnerprofile,"
                " cards_question, django_session, auth_user RESTART IDENTITY CASCADE"
            )
        return
    ReviewLog.objects.all().delete()
    ReviewSchedule.objects.all().delete()
    LearnerProfile.objects.all().delete()
    Question.objects.all().delete()
    get_user_model().objects.all().delete()


def _reset_sequences() -> None:
    User = get_user_model()
    models = [User, LearnerProfile, Question, ReviewSchedule, ReviewLog]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def fresh_learners(count: int) -> list[str]:
    """Up to `count` regular learners nobody has graded for, nor reconfigured
    (the soak raises limits), since generation."""
    since = meta()["at"]
    changed = set(
        LearnerProfile.objects.filter(updated_at__gt=since).values_list(
            "user_id", flat=True
        )
    )
    users = (
        get_user_model()
        .objects.filter(username__startswith=f"{simulate.USERNAME_PREFIX}u")
        .order_by("username")
        .values_list("id", "username")
    )
    fresh = []
    for user_id, username in users.iterator():
        if user_id in changed:
            continue
        # One index probe (user, reviewed_at) per candidate, not a table scan.
        graded = ReviewLog.objects.filter(user_id=user_id, reviewed_at__gt=since)
        if not graded.exists():
            fresh.append(username)
            if len(fresh) == count:
                break
    return fresh


def is_reusable(
    *, scale: str, seed: int, need: int = 0, max_age: timedelta = timedelta(days=1)
) -> bool:
    """The database holds this scale and seed, generated recently, with `need`
    learners the load harness has not used yet."""
    info = meta() if is_bench() else None
    if not info or info.get("scale") != scale or info.get("seed") != seed:
        return False
    if datetime.now(UTC) - datetime.fromisoformat(info["at"]) > max_age:
        return False
    return len(fresh_learners(need)) >= need

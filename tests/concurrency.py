"""Worker processes for the concurrent-grading tests (plan items 2 and 3).

Each worker is a separate Python process with its own database connection,
as gunicorn workers are; it is started with `spawn`, so it sets Django up
itself against the parent's test database.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from datetime import UTC, datetime, time

ATTEMPTS = 1000


def _setup_django(database: dict) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "genai_prep.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", "concurrency-test-only-" + "x" * 40)
    from django.conf import settings

    mode = os.environ.get("RELIABILITY_SQLITE_MODE")  # e.g. DEFERRED, to see it fail
    if mode and database["ENGINE"].endswith("sqlite3"):
        database = {**database, "OPTIONS": {**database["OPTIONS"]}}
        database["OPTIONS"]["transaction_mode"] = mode
    settings.DATABASES["default"] = database
    import django

    django.setup()


def grade_worker(
    database: dict,
    user_id: int,
    question_ids: list[int],
    grades: int,
    worker: int,
    barrier,
    results,
) -> None:
    """Make `grades` answers, re-reading the version after each 409.

    Up to ATTEMPTS tries an answer: losing the race is a 409 to retry, not a
    loss. At 50 one worker of 8 on 2 cores once lost it 50 times in a row (CI,
    2026-12-06: 1,599 accepted, 1,151 x 409, 0 lost), which failed the test
    on the harness's patience, not on the grading."""
    _setup_django(database)
    from django.contrib.auth import get_user_model
    from django.db import OperationalError

    from cards.models import Question, ReviewSchedule
    from cards.review import services

    user = get_user_model().objects.get(pk=user_id)
    questions = list(Question.objects.filter(pk__in=question_ids).order_by("pk"))
    rng = random.Random(worker)
    tally: Counter[str] = Counter()
    errors: list[str] = []
    barrier.wait(timeout=120)
    for i in range(grades):
        question = questions[(worker + i) % len(questions)]
        for _attempt in range(ATTEMPTS):
            row = (
                ReviewSchedule.objects.filter(user=user, question=question)
                .values("version", "due_on", "redrill_on", "interval_days")
                .first()
            )
            if row is None:
                version, now, grade = 0, datetime(2026, 1, 5, 12, tzinfo=UTC), 3
            else:
                day = row["redrill_on"] or row["due_on"]
                version = row["version"]
                now = datetime.combine(day, time(12), tzinfo=UTC)
                # Lapse long intervals so 1,600 answers stay within the calendar.
                grade = 1 if row["interval_days"] > 30 else rng.randint(0, 5)
            try:
                services.record_review(
                    user=user, question=question, grade=grade, version=version, now=now
                )
            except services.ReviewConflict:
                tally["conflicts"] += 1
                continue
            except OperationalError as error:
                key = "locked" if "locked" in str(error) else "errors"
                tally[key] += 1
                errors.append(repr(error)[:200])
                continue
            except Exception as error:  # a 500 in the real view
                tally["errors"] += 1
                errors.append(repr(error)[:200])
                continue
            tally["accepted"] += 1
            break
        else:
            tally["gave_up"] += 1
    from django.db import connections

    connections.close_all()
    results.put((worker, dict(tally), errors[:5]))

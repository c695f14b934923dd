"""The queue's statement with suspended cards: median and p95 of 200 snapshots.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gp_bench .venv/bin/python -m bench.suspensions

Builds, inside a transaction that is rolled back, 10,000 questions, one
learner with 2,000 schedules (due over the last 30 days), then times
`queue.snapshot` with no suspensions and with 300 (200 started, 100 new).
Without DATABASE_URL it uses a throwaway SQLite file. Prints figures only.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import UTC, date, datetime, timedelta


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_prep.settings")
    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/gp-bench-suspensions.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _time(user, now: datetime, label: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cards.models import profile_for
    from cards.review import queue

    profile = profile_for(user)
    queue.snapshot(user=user, profile=profile, now=now)  # compiles the statement
    times = []
    for _ in range(200):
        start = time.perf_counter()
        queue.snapshot(user=user, profile=profile, now=now)
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        snap = queue.snapshot(user=user, profile=profile, now=now)
    times.sort()
    print(
        f"{label}: median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {times[189] * 1000:.1f} ms, {len(queries)} query "
        f"(due {snap.due}, new {snap.new_available})"
    )


def main() -> None:
    _setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from cards.models import Question, ReviewSchedule, Suspension
    from cards.scheduling.sm2 import SM2, CardState

    now = datetime(2026, 1, 5, 12, tzinfo=UTC)
    today = date(2026, 1, 5)
    state = SM2().dumps(CardState(2, 6))
    print(f"database: {connection.vendor}")
    with transaction.atomic():
        questions = Question.objects.bulk_create(
            Question(
                key=f"bench-suspend-{i}",
                prompt=f"Bench question {i}?",
                answer="A",
                level=1 + i % 3,
                position=i,
            )
            for i in range(10_000)
        )
        user = get_user_model().objects.create_user("bench-suspensions")
        started = questions[:2_000]
        ReviewSchedule.objects.bulk_create(
            ReviewSchedule(
                user=user,
                question=q,
                due_on=today - timedelta(days=i % 30),
                scheduler="sm2",
                state=state,
                repetitions=2,
                interval_days=6,
            )
            for i, q in enumerate(started)
        )
        _time(user, now, "10,000 questions, 2,000 schedules, 0 suspended")
        Suspension.objects.bulk_create(
            Suspension(user=user, question=q, created_at=now)
            for q in started[:200] + questions[-100:]
        )
        _time(user, now, "the same, 300 suspended (200 started, 100 new)")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()

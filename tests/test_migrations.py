"""Migration 0006 (one serialised scheduler state) on a database with SM-2 history.

Builds schedules and review logs at migration 0005 with the real SM-2 maths
(new cards, reviews, re-drills, lapses, the 1.30 floor, the 36,500-day cap),
migrates forward, checks every row's JSON against the columns it came from,
migrates back and checks every row equals what it was, exactly.
"""

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cards.scheduling import sm2

BEFORE = [("cards", "0005_drill_and_mock_kinds")]
AFTER = [("cards", "0006_scheduler_state")]
OLD_LOG = ("repetitions", "interval", "ease")
DAY = date(2025, 1, 6)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def rows(model):
    return list(model.objects.order_by("pk").values())


def build_history(apps, rng):
    user_model = apps.get_model("auth", "User")
    question = apps.get_model("cards", "Question")
    schedule_model = apps.get_model("cards", "ReviewSchedule")
    log_model = apps.get_model("cards", "ReviewLog")
    questions = [
        question.objects.create(key=f"q{n}", prompt=f"Q{n}?", answer="A.", position=n)
        for n in range(12)
    ]
    for u in range(3):
        user = user_model.objects.create(username=f"learner{u}")
        for q in questions:
            state, day, version, lapses = sm2.CardState(), DAY, 0, 0
            schedule = schedule_model.objects.create(
                user=user, question=q, due_on=day, ease=Decimal("2.50")
            )
            # Long runs of 5s reach the cap; runs of 0s the ease floor.
            bias = rng.choice([0, 5, None])
            for _ in range(rng.randint(1, 40)):
                grade = (
                    bias
                    if bias is not None and rng.random() < 0.8
                    else rng.randint(0, 5)
                )
                redrill = version > 0 and rng.random() < 0.15
                before = state
                if not redrill:
                    state = sm2.next_state(
                        state, grade=grade, max_interval_days=sm2.MAX_INTERVAL_DAYS
                    )
                    lapses += grade < 3 and before.repetitions > 0
                log_model.objects.create(
                    user=user,
                    schedule=schedule,
                    question=q,
                    kind="new" if version == 0 else "redrill" if redrill else "review",
                    grade=grade,
                    reviewed_at=datetime.combine(day, datetime.min.time(), UTC),
                    study_day=day,
                    from_version=version,
                    repetitions_before=before.repetitions,
                    interval_before=before.interval_days,
                    ease_before=before.ease,
                    due_before=None if version == 0 else day,
                    lapses_before=lapses,
                    repetitions_after=state.repetitions,
                    interval_after=state.interval_days,
                    ease_after=state.ease,
                    due_after=day + timedelta(days=state.interval_days),
                )
                version += 1
            schedule_model.objects.filter(pk=schedule.pk).update(
                repetitions=state.repetitions,
                interval_days=state.interval_days,
                ease=state.ease,
                version=version,
                lapses=lapses,
            )
    # A schedule without history (as an import can leave one).
    schedule_model.objects.create(
        user=user, question=question.objects.create(key="lone", prompt="?", answer="."),
        due_on=DAY, repetitions=7, interval_days=36_500, ease=Decimal("1.30"),
    )  # fmt: skip


def state_of(repetitions, interval, ease):
    return sm2.SM2().dumps(sm2.CardState(repetitions, interval, ease))


@pytest.mark.django_db(transaction=True)
def test_state_migration_round_trips_every_schedule_and_log_row():
    try:
        old = migrate(BEFORE)
        build_history(old, random.Random(11))
        schedules_0005 = rows(old.get_model("cards", "ReviewSchedule"))
        logs_0005 = rows(old.get_model("cards", "ReviewLog"))
        assert len(logs_0005) > 300
        eases = {log["ease_after"] for log in logs_0005}
        assert Decimal("1.30") in eases and max(eases) > Decimal("4")
        assert max(log["interval_after"] for log in logs_0005) == sm2.MAX_INTERVAL_DAYS

        new = migrate(AFTER)
        schedules = {s["id"]: s for s in rows(new.get_model("cards", "ReviewSchedule"))}
        for s in schedules_0005:
            migrated = schedules[s["id"]]
            assert migrated["scheduler"] == "sm2"
            assert migrated["state"] == state_of(
                s["repetitions"], s["interval_days"], s["ease"]
            )
        logs = {log["id"]: log for log in rows(new.get_model("cards", "ReviewLog"))}
        for log in logs_0005:
            migrated = logs[log["id"]]
            assert migrated["scheduler"] == "sm2"
            for side in ("before", "after"):
                old_columns = [log[f"{name}_{side}"] for name in OLD_LOG]
                assert migrated[f"state_{side}"] == state_of(*old_columns)
                assert f"ease_{side}" not in migrated
            # Every state the migration wrote is one SM2.loads accepts.
            sm2.SM2().loads(migrated["state_before"])

        back = migrate(BEFORE)
        assert rows(back.get_model("cards", "ReviewSchedule")) == schedules_0005
        assert rows(back.get_model("cards", "ReviewLog")) == logs_0005
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

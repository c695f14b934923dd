"""4 workers and 2 ticks over 1,000 learners: exactly 1,000 mails (issue 20).

Runs on the configured database: on PostgreSQL the ticks and workers take
rows with SKIP LOCKED; on SQLite, whose writers take turns, the same code
must give the same count (at 200 learners and 2 workers).

`make reminders-soak` runs this same test outside make test at soak size
(REM_WORKERS=20, REM_TICKS=3, REM_LEARNERS=2000 on PostgreSQL).
"""

import multiprocessing
import os
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from cards.models import (
    DeliveryStatus,
    LearnerProfile,
    ReminderDelivery,
    ReminderSettings,
    ReviewSchedule,
)
from cards.reminders import timing
from tests.factories import make_question, sm2_fields
from tests.reminders import processes

# The figure is for PostgreSQL; SQLite, whose writers take turns,
# runs the same code at a fifth of the size to stay within CI's time.
ON_POSTGRES = connection.vendor == "postgresql"
LEARNERS = int(os.environ.get("REM_LEARNERS", 1_000 if ON_POSTGRES else 200))
WORKERS = int(os.environ.get("REM_WORKERS", 4 if ON_POSTGRES else 2))
TICKS = int(os.environ.get("REM_TICKS", 2))
ZONES = (
    "America/New_York", "Europe/London", "Asia/Kolkata", "Pacific/Kiritimati",
    "Etc/GMT+12", "Australia/Adelaide", "America/Sao_Paulo", "Asia/Tokyo",
)  # fmt: skip

pytestmark = pytest.mark.django_db(transaction=True)


def _learners(now: datetime) -> None:
    User = get_user_model()  # noqa: N806
    User.objects.bulk_create(
        User(username=f"r{i}", email=f"r{i}@example.com", password="!")
        for i in range(LEARNERS)
    )
    users = list(User.objects.filter(username__startswith="r").order_by("pk"))
    question = make_question()
    profiles, schedules, reminders = [], [], []
    for i, user in enumerate(users):
        zone = ZONES[i % len(ZONES)]
        local = now.astimezone(ZoneInfo(zone))
        profiles.append(LearnerProfile(user=user, time_zone=zone))
        schedules.append(
            ReviewSchedule(
                user=user, question=question, due_on=local.date() - timedelta(days=1),
                version=2, **sm2_fields(2, 6),
            )
        )  # fmt: skip
        due = timing.next_send_at(
            now - timedelta(minutes=50), hour=local.hour, weekdays=127, tz=local.tzinfo
        )
        reminders.append(
            ReminderSettings(
                user=user, is_enabled=True, hour=local.hour,
                verified_email=user.email, next_send_at=due,
            )
        )  # fmt: skip
    LearnerProfile.objects.bulk_create(profiles)
    ReviewSchedule.objects.bulk_create(schedules)
    ReminderSettings.objects.bulk_create(reminders)


def test_four_workers_and_two_ticks_send_exactly_one_mail_per_learner(clock, figure):
    now = datetime(2026, 1, 5, 9, 5, tzinfo=UTC)
    _learners(now)
    assert ReminderSettings.objects.filter(next_send_at__lte=now).count() == LEARNERS
    database = dict(connection.settings_dict)
    context = multiprocessing.get_context("spawn")
    # The SMTP server runs in its own process too, so that the test process
    # polling the database never starves it.
    listening, ready, stop_sink, sunk = (
        context.Value("i", 0),
        context.Event(),
        context.Event(),
        context.Queue(),
    )
    server = context.Process(
        target=processes.sink, args=(listening, ready, stop_sink, sunk)
    )
    server.start()
    assert ready.wait(timeout=60)
    port = listening.value
    barrier = context.Barrier(WORKERS + TICKS)
    stop, results = context.Event(), context.Queue()
    started = time.monotonic()
    procs = [
        context.Process(
            target=processes.tick, args=(database, port, now, barrier, results)
        )
        for _ in range(TICKS)
    ] + [
        context.Process(
            target=processes.work, args=(database, port, now, barrier, stop, results)
        )
        for _ in range(WORKERS)
    ]
    for proc in procs:
        proc.start()
    try:
        # Generous: a loaded machine is slow (and a soak is bigger).
        deadline = time.monotonic() + 240 * max(1, LEARNERS // 1000)
        while time.monotonic() < deadline:
            if (
                ReminderDelivery.objects.count() == LEARNERS
                and not ReminderDelivery.objects.exclude(
                    status=DeliveryStatus.SENT
                ).exists()
            ):
                break
            time.sleep(0.25)
        elapsed = time.monotonic() - started
        time.sleep(0.5)  # anything doubled would arrive now
    finally:
        stop.set()
        for proc in procs:
            proc.join(timeout=60)
            if proc.is_alive():
                proc.kill()
        stop_sink.set()
        recipients = sunk.get(timeout=30)[1]
        server.join(timeout=10)
    outcome = [results.get(timeout=5) for _ in procs if not results.empty()]
    statuses = Counter(ReminderDelivery.objects.values_list("status", flat=True))
    per_address = Counter(recipients)
    lost = LEARNERS - len(per_address)
    doubled = sum(n - 1 for n in per_address.values())
    figure(
        "R1",
        f"{connection.vendor}: {WORKERS} workers + {TICKS} ticks, {LEARNERS:,} learners "
        f"in {len(ZONES)} zones: {len(recipients):,} mails, {lost} lost, "
        f"{doubled} doubled, {elapsed:.1f} s",
    )
    details = Counter(ReminderDelivery.objects.values_list("detail", flat=True))
    assert (lost, doubled, len(recipients)) == (0, 0, LEARNERS), (statuses, details)
    assert statuses == {DeliveryStatus.SENT: LEARNERS}
    assert sum(n for kind, n in outcome if kind == "tick") == LEARNERS
    assert sum(1 for kind, n in outcome if kind == "worker" and n) >= 2

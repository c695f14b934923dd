"""Reminders on PostgreSQL at 1,000,000 learners: the tick, one worker, reset.

    .venv/bin/python -m bench.reminders [--learners 1000000] [--mails 500] [--keep]

Creates its own database (gp_rem_bench by default), migrates it, writes the
learners with generate_series (90% with reminders on, next sends spread over
a day in eight zones), then measures, printing each figure:

- the tick's pick query (lock the 500 earliest due rows, SKIP LOCKED) and a
  whole tick batch (pick, deliveries, jobs), rolled back each time, with
  EXPLAIN (ANALYZE, BUFFERS) of the pick;
- one worker (django-tasks-db's own) sending --mails digests to an SMTP sink
  (aiosmtpd) in another process, in mails per second;
- the password-reset page for a known and an unknown address (median, p95).

Drops the database afterwards unless --keep. Not part of make test.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gp_rem_bench"
SMTP_PORT = 8749
NOW = datetime(2026, 12, 2, 8, 5, tzinfo=UTC)
ZONES = (
    "UTC", "Europe/London", "America/New_York", "Asia/Kolkata",
    "Pacific/Kiritimati", "Etc/GMT+12", "Asia/Tokyo", "America/Sao_Paulo",
)  # fmt: skip


def _admin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def _recreate(url: str) -> None:
    import psycopg

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop(url: str) -> None:
    import psycopg

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


FILL = """
INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name,
    email, is_staff, is_active, date_joined)
SELECT g, '!', false, 'b' || g, '', '', 'b' || g || '@example.com', false, true, %(now)s
FROM generate_series(1, %(n)s) g;
INSERT INTO cards_learnerprofile (user_id, time_zone, created_at, updated_at{more})
SELECT g, (%(zones)s::text[])[1 + g %% 8], %(now)s, %(now)s{more_values}
FROM generate_series(1, %(n)s) g;
INSERT INTO cards_remindersettings (user_id, is_enabled, hour, weekdays, verified_email,
    next_send_at, updated_at)
SELECT g, g %% 10 <> 0, g %% 24, 127, 'b' || g || '@example.com',
    CASE WHEN g %% 10 <> 0
         THEN %(now)s::timestamptz - interval '12 hours' + (g %% 86400) * interval '1 second'
    END, %(now)s
FROM generate_series(1, %(n)s) g;
SELECT setval(pg_get_serial_sequence('auth_user', 'id'), %(n)s);
"""


def _profile_defaults() -> dict[str, object]:
    """Every other profile column at its model default (new fields come along)."""
    from cards.models import LearnerProfile

    given = {"id", "user", "time_zone", "created_at", "updated_at"}
    return {
        f.column: None if f.null else f.get_default()
        for f in LearnerProfile._meta.concrete_fields
        if f.name not in given
    }


def _fill(cursor, n: int) -> None:
    defaults = _profile_defaults()
    sql = FILL.format(
        more="".join(f", {c}" for c in defaults),
        more_values="".join(f", %(d_{c})s" for c in defaults),
    )
    params = {"n": n, "now": NOW, "zones": list(ZONES)}
    params |= {f"d_{c}": v for c, v in defaults.items()}
    cursor.execute(sql, params)
    cursor.execute("ANALYZE")


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered)) - 1))]


def _rolled_back(fn):
    from django.db import transaction

    with transaction.atomic():
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed, result


def bench_tick(rounds: int) -> dict:
    from django.db import connection, transaction

    from cards.reminders import services

    def pick():
        qs = services.due_reminders(now=NOW).select_for_update(
            skip_locked=True, of=("self",)
        )
        return len(list(qs.select_related("user__profile")[: services.BATCH_SIZE]))

    picks = [_rolled_back(pick)[0] for _ in range(rounds)]
    batches = [
        _rolled_back(lambda: services._tick_batch(now=NOW, batch_size=500))[0]
        for _ in range(max(3, rounds // 4))
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = (
            services.due_reminders(now=NOW)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("user__profile")[: services.BATCH_SIZE]
            .query.sql_with_params()
        )
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    due = services.due_reminders(now=NOW).count()
    return {"picks": picks, "batches": batches, "plan": plan, "due": due}


def _sink(port: int, ready, stop, counts) -> None:
    from aiosmtpd.controller import Controller

    class Count:
        n = 0

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            Count.n += 1
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait(timeout=3600)
    controller.stop()
    counts.put(Count.n)


def _mail_learners(n: int) -> None:
    """`n` more learners, each with a due card and reminders due at NOW."""
    from django.contrib.auth import get_user_model

    from cards.models import (
        LearnerProfile,
        Question,
        ReminderSettings,
        ReviewSchedule,
    )
    from cards.scheduling.sm2 import SM2, CardState

    question = Question.objects.create(key="bench-q", prompt="Q?", answer="A.")
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        user_model(username=f"m{i}", email=f"m{i}@example.com", password="!")
        for i in range(n)
    )
    LearnerProfile.objects.bulk_create(LearnerProfile(user=u) for u in users)
    state = SM2().dumps(CardState(2, 6))
    ReviewSchedule.objects.bulk_create(
        ReviewSchedule(
            user=u, question=question, due_on=NOW.date(), state=state,
            repetitions=2, interval_days=6, version=2,
        )
        for u in users
    )  # fmt: skip
    ReminderSettings.objects.bulk_create(
        ReminderSettings(
            user=u, is_enabled=True, hour=8, verified_email=u.email,
            next_send_at=NOW - timedelta(minutes=5),
        )
        for u in users
    )  # fmt: skip
    # Only these are due (the million are moved past NOW for this part).
    ReminderSettings.objects.exclude(user__in=users).update(
        next_send_at=NOW + timedelta(days=1)
    )


def _worker():
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="bench", excluded_queue_names=[],
    )  # fmt: skip


def _drain() -> int:
    worker = _worker()
    worker.run()
    return worker._run_tasks


def bench_worker(mails: int) -> dict:
    from cards.models import DeliveryStatus, ReminderDelivery
    from cards.reminders import services

    _mail_learners(mails)
    services.tick(now=NOW)
    worker = _worker()
    cpu = time.process_time()
    start = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        # BENCH_PROFILE=tottime|cumulative|<file>.prof
        how = os.environ["BENCH_PROFILE"]
        if how.endswith(".prof"):
            cProfile.runctx("worker.run()", globals(), locals(), filename=how)
        else:
            cProfile.runctx("worker.run()", globals(), locals(), sort=how)
    else:
        worker.run()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    sent = ReminderDelivery.objects.filter(status=DeliveryStatus.SENT).count()
    return {"sent": sent, "seconds": elapsed, "cpu": cpu, "jobs": worker._run_tasks}


def bench_reset(rounds: int) -> dict:
    from django.test import Client

    client = Client()
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for i in range(rounds):
        for kind, email in (
            ("known", f"b{i + 1}@example.com"),
            ("unknown", f"x{i}@nowhere.example"),
        ):
            start = time.perf_counter()
            response = client.post("/accounts/password_reset/", {"email": email})
            times[kind].append(time.perf_counter() - start)
            assert response.status_code == 302, response.status_code
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reminders")
    parser.add_argument("--learners", type=int, default=1_000_000)
    parser.add_argument("--mails", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--db", default=os.environ.get("REMINDER_BENCH_DB", DEFAULT_DB))
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)

    _recreate(args.db)
    ctx = multiprocessing.get_context("spawn")
    ready, stop, counts = ctx.Event(), ctx.Event(), ctx.Queue()
    sink = ctx.Process(target=_sink, args=(SMTP_PORT, ready, stop, counts))
    sink.start()
    ready.wait(timeout=60)
    os.environ |= {
        "DATABASE_URL": args.db, "DJANGO_SETTINGS_MODULE": "genai_prep.settings",
        "DJANGO_EMAIL_HOST": "127.0.0.1", "DJANGO_EMAIL_PORT": str(SMTP_PORT),
        "DJANGO_EMAIL_USE_TLS": "0", "DJANGO_HTTPS": "0",
        "DJANGO_LOG_LEVEL": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    }  # fmt: skip
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["testserver"]
    # The bench measures the page, not the limit (5 an hour per address).
    settings.RATE_LIMITS = {"password_reset": {"address": (10**6, 3600)}}
    # The reset page links static files; the bench runs without collectstatic.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        }
    }
    try:
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        with connection.cursor() as cursor:
            _fill(cursor, args.learners)
        print(
            f"{args.learners:,} learners written in {time.perf_counter() - start:.1f} s"
        )
        tick = bench_tick(args.rounds)
        print(f"due at the tick: {tick['due']:,} learners")
        print(
            f"tick pick (500 rows, SKIP LOCKED): median {statistics.median(tick['picks']) * 1e3:.1f} ms, "
            f"p95 {_p(tick['picks'], 95) * 1e3:.1f} ms over {len(tick['picks'])}"
        )
        print(
            f"tick batch (pick + 500 deliveries + 20 jobs): median "
            f"{statistics.median(tick['batches']):.3f} s, p95 {_p(tick['batches'], 95):.3f} s "
            f"over {len(tick['batches'])}"
        )
        print("EXPLAIN (ANALYZE, BUFFERS) of the pick:\n" + tick["plan"])
        reset = bench_reset(args.rounds)
        _drain()  # the reset mails, so that the worker's figure is digests only
        for kind, values in reset.items():
            print(
                f"password reset, {kind} address: median "
                f"{statistics.median(values) * 1e3:.1f} ms, p95 {_p(values, 95) * 1e3:.1f} ms"
            )
        work = bench_worker(args.mails)
        stop.set()
        received = counts.get(timeout=30)
        rate = work["sent"] / work["seconds"]
        print(
            f"one worker: {work['sent']:,} digests sent ({received:,} received by the sink) "
            f"in {work['seconds']:.2f} s over {work['jobs']} jobs = {rate:.1f} mails/s "
            f"(the worker's own CPU: {work['cpu']:.2f} s, "
            f"{work['sent'] / work['cpu']:.0f} mails per CPU-second)"
        )
        print(f"load average: {os.getloadavg()}")
    finally:
        stop.set()
        sink.join(timeout=10)
        connection.close()
        if not args.keep:
            _drop(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

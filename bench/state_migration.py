"""Time migration 0006 (one serialised scheduler state) on PostgreSQL, both ways.

    .venv/bin/python -m bench.state_migration [--logs 1000000] [--db URL] [--keep]

Creates (or empties) its own database, migrates it to 0005, writes
--logs review-log rows with SQL (10 answers per schedule, varied SM-2
states: every repetition count 0-7, intervals 0-36,500, eases 1.30-3.29),
then times `migrate cards 0006` and `migrate cards 0005` and checks that the
six old log columns and the schedules' columns are back exactly (an md5
over every row in id order). Not part of make test: about a minute.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/restructure_state_migration"
PER_SCHEDULE = 10
QUESTIONS = 100

LOG_CHECKSUM = """
SELECT count(*), md5(string_agg(concat_ws(',', id, repetitions_before,
    interval_before, ease_before, repetitions_after, interval_after, ease_after),
    ';' ORDER BY id)) FROM cards_reviewlog
"""
SCHEDULE_CHECKSUM = """
SELECT count(*), md5(string_agg(concat_ws(',', id, repetitions, interval_days, ease),
    ';' ORDER BY id)) FROM cards_reviewschedule
"""


def _recreate(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')


def _fill(cursor, logs: int) -> tuple[int, int]:
    schedules = -(-logs // PER_SCHEDULE)
    users = -(-schedules // QUESTIONS)
    cursor.execute(
        "INSERT INTO auth_user (password, is_superuser, username, first_name,"
        " last_name, email, is_staff, is_active, date_joined)"
        " SELECT '!', false, 'migration-' || g, '', '', '', false, true, now()"
        " FROM generate_series(1, %s) g",
        [users],
    )
    cursor.execute(
        "INSERT INTO cards_question (key, level, position, prompt, answer,"
        " is_active, created_at, updated_at)"
        " SELECT 'q-' || g, 1 + g %% 3, g, 'Question ' || g || '?', 'An answer.',"
        " true, now(), now() FROM generate_series(1, %s) g",
        [QUESTIONS],
    )
    # One schedule per (user, question) until `schedules`; a varied SM-2 state.
    cursor.execute(
        "INSERT INTO cards_reviewschedule (user_id, question_id, repetitions,"
        " interval_days, ease, due_on, lapses, version, created_at)"
        " SELECT u.id, q.id, n %% 8, (n * 37) %% 36501, 1.30 + (n %% 200) / 100.0,"
        "   DATE '2026-01-05' + (n %% 60)::int, n %% 5, %s, now()"
        " FROM (SELECT u.id AS uid, q.id AS qid,"
        "       row_number() OVER (ORDER BY u.id, q.id) AS n"
        "       FROM auth_user u CROSS JOIN cards_question q) s"
        " JOIN auth_user u ON u.id = s.uid JOIN cards_question q ON q.id = s.qid"
        " WHERE n <= %s",
        [PER_SCHEDULE, schedules],
    )
    cursor.execute(
        "INSERT INTO cards_reviewlog (user_id, schedule_id, question_id, kind, grade,"
        " reviewed_at, study_day, duration_ms, from_version, repetitions_before,"
        " interval_before, ease_before, due_before, lapses_before, redrill_before,"
        " last_reviewed_before, repetitions_after, interval_after, ease_after,"
        " due_after)"
        " SELECT s.user_id, s.id, s.question_id,"
        "   CASE WHEN v = 0 THEN 'new' WHEN v %% 4 = 3 THEN 'redrill' ELSE 'review' END,"
        "   (s.id + v) %% 6, now() - (10 - v) * interval '1 day',"
        "   DATE '2025-12-20' + v, 9000, v, (s.id + v) %% 8, (s.id * 7 + v) %% 36501,"
        "   1.30 + ((s.id + v) %% 170) / 100.0,"
        "   CASE WHEN v = 0 THEN NULL ELSE DATE '2025-12-20' + v END, 0, NULL, NULL,"
        "   (s.id + v + 1) %% 8, (s.id * 7 + v + 1) %% 36501,"
        "   1.30 + ((s.id + v + 1) %% 170) / 100.0, DATE '2025-12-21' + v"
        " FROM cards_reviewschedule s CROSS JOIN generate_series(0, %s) v"
        " ORDER BY s.id, v LIMIT %s",
        [PER_SCHEDULE - 1, logs],
    )
    cursor.execute("ANALYZE")
    return schedules, logs


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.state_migration")
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument(
        "--db", default=os.environ.get("STATE_MIGRATION_DB", DEFAULT_DB)
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)

    _recreate(args.db)
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_prep.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    def migrate(target: str) -> float:
        start = time.perf_counter()
        call_command("migrate", "cards", target, verbosity=0)
        return time.perf_counter() - start

    def checksums() -> tuple:
        with connection.cursor() as cursor:
            cursor.execute(LOG_CHECKSUM)
            logs = cursor.fetchone()
            cursor.execute(SCHEDULE_CHECKSUM)
            return logs, cursor.fetchone()

    try:
        call_command("migrate", verbosity=0)
        migrate("0005_drill_and_mock_kinds")
        start = time.perf_counter()
        with connection.cursor() as cursor:
            schedules, logs = _fill(cursor, args.logs)
        print(
            f"Wrote {logs:,} review-log rows and {schedules:,} schedules "
            f"in {time.perf_counter() - start:.1f} s (SQL, not timed below)."
        )
        before = checksums()
        forward = migrate("0006_scheduler_state")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM cards_reviewlog WHERE state_before IS NULL"
                " OR state_after IS NULL OR scheduler <> 'sm2'"
            )
            unfilled = cursor.fetchone()[0]
        back = migrate("0005_drill_and_mock_kinds")
        identical = checksums() == before
        print(
            f"Migration 0006 on PostgreSQL, {logs:,} review-log rows and "
            f"{schedules:,} schedules: forward {forward:.1f} s, back {back:.1f} s; "
            f"rows left without a state: {unfilled}; "
            f"round trip identical: {'yes' if identical else 'NO'}"
        )
        migrate("0006_scheduler_state")
        return 0 if identical and not unfilled else 1
    finally:
        connection.close()
        if not args.keep:
            _drop(args.db)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

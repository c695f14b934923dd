"""A backup restored into a fresh database gives every learner the same
schedules and review log, row for row (PostgreSQL: pg_dump -Fc / pg_restore;
SQLite: the online backup API). Runs on whichever database the suite uses."""

import random
import sqlite3
import subprocess
from collections import defaultdict

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cards.ops import backup
from cards.review import services
from tests.factories import make_question, make_user
from tests.paths import ROOT

TABLES = ("cards_reviewschedule", "cards_reviewlog")


def grade_for_a_while(clock, learners, questions, rng):
    for _day in range(6):
        for user in learners:
            for question in rng.sample(questions, 4):
                version = (
                    question.schedules.filter(user=user)
                    .values_list("version", flat=True)
                    .first()
                ) or 0
                services.record_review(
                    user=user, question=question, grade=rng.randint(0, 5),
                    version=version, now=clock.now, flow="drill",
                )  # fmt: skip
        clock.shift(days=1)


def per_learner(rows_by_table: dict[str, list[dict]]) -> dict[int, dict]:
    learners: dict[int, dict] = defaultdict(lambda: {t: [] for t in TABLES})
    for table, rows in rows_by_table.items():
        for row in rows:
            learners[row["user_id"]][table].append(row)
    return dict(learners)


def read_postgres(db: dict) -> dict[int, dict]:
    conninfo = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"]}
    with psycopg.connect(dbname=db["NAME"], **conninfo) as conn:
        cursor = conn.cursor(row_factory=psycopg.rows.dict_row)
        return per_learner(
            {
                t: cursor.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
                for t in TABLES
            }
        )


def read_sqlite(path: str) -> dict[int, dict]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return per_learner(
            {
                t: [dict(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY id")]
                for t in TABLES
            }
        )
    finally:
        conn.close()


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database beside the test database, removed afterwards."""
    db = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        db["NAME"] = str(tmp_path / "restored.sqlite3")
        yield db
        return
    db["NAME"] = f"{db['NAME']}_restored"
    admin = {
        "host": db["HOST"],
        "port": db["PORT"],
        "user": db["USER"],
        "dbname": "postgres",
    }
    with psycopg.connect(autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    try:
        yield db
    finally:
        with psycopg.connect(autocommit=True, **admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_has_every_learners_schedules_and_log(
    clock, tmp_path, fresh_database, figure
):
    learners = [make_user() for _ in range(4)]
    questions = [make_question() for _ in range(12)]
    grade_for_a_while(clock, learners, questions, random.Random(13))
    file = tmp_path / f"backup{backup.suffix_for(connection.settings_dict)}"
    call_command("backup_db", output=file, verbosity=0)
    backup.restore(fresh_database, file)

    read = read_sqlite if connection.vendor == "sqlite" else read_postgres
    if connection.vendor == "sqlite":
        original, restored = (
            read(connection.settings_dict["NAME"]),
            read(fresh_database["NAME"]),
        )
    else:
        original, restored = read(connection.settings_dict), read(fresh_database)
    logs = sum(len(t["cards_reviewlog"]) for t in original.values())
    figure(
        "ops",
        f"backup ({connection.vendor}) restored into a fresh database: "
        f"{len(restored)}/{len(learners)} learners, {logs} review-log rows identical",
    )
    assert set(original) == {u.pk for u in learners}
    assert logs >= 60 and all(t["cards_reviewschedule"] for t in original.values())
    assert restored == original


@pytest.mark.django_db(transaction=True)
def test_restore_db_puts_back_what_was_there_and_needs_yes(clock, tmp_path):
    user = make_user()
    question = make_question()
    services.record_review(
        user=user, question=question, grade=4, version=0, now=clock.now
    )
    file = tmp_path / f"before{backup.suffix_for(connection.settings_dict)}"
    call_command("backup_db", output=file, verbosity=0)
    clock.shift(days=1)
    services.record_review(
        user=user, question=question, grade=1, version=1, now=clock.now, flow="drill"
    )
    with pytest.raises(CommandError, match="add --yes"):
        call_command("restore_db", file)
    call_command("restore_db", file, yes=True, verbosity=0)
    connection.close()
    schedule = question.schedules.get(user=user)
    assert schedule.version == 1 and schedule.logs.count() == 1


def test_restore_refuses_a_missing_file(tmp_path, db):
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore_db", tmp_path / "nothing.dump", yes=True)


def test_make_backup_and_restore_call_the_commands():
    dry = subprocess.run(
        ["make", "-n", "backup", "restore", "BACKUP=backups/x.dump"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "manage.py backup_db" in dry.stdout
    assert "manage.py restore_db backups/x.dump --yes" in dry.stdout

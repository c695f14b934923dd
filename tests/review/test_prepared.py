"""Statements planned once per connection (cards/review/prepared.py)."""

import pytest
from django.db import DataError, connection, transaction

from bench import wire
from cards.review import prepared

SQL = "SELECT CAST(%s AS TEXT) || 'x', %s + 1"


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_fetchone_returns_the_first_row_on_either_database(db):
    assert prepared.fetchone("default", SQL, ["a", 1]) == ("ax", 2)
    assert prepared.fetchone("default", SQL, ["b", 2]) == ("bx", 3)


@pytest.mark.django_db(transaction=True)  # autocommit, as the grade's statements
@pytest.mark.postgres
def test_first_run_prepares_without_a_round_trip_of_its_own():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    with connection.cursor() as cursor:  # the connection and its health check
        cursor.execute("SELECT 1")
    runs = []
    for value in (1, 40_000, 2**40):  # int2, int4 and int8 by value: one signature
        with wire.traced() as trace:
            row = prepared.fetchone("default", SQL, ["a", value])
        runs.append((row, trace.round_trips, trace.summary()))
    assert [r[:2] for r in runs] == [
        (("ax", 2), 1),
        (("ax", 40_001), 1),
        (("ax", 2**40 + 1), 1),
    ], runs
    mine = [s for s in _prepared_statements() if "|| 'x'" in s]
    assert len(mine) == 1


@pytest.mark.postgres
def test_a_prepared_statement_is_planned_once_not_for_each_of_its_first_runs(db):
    # PostgreSQL's default plans a prepared statement's first five runs for
    # their parameters (3-5 ms each for the next-card statement): the
    # settings ask for the generic plan from the first run (issue 12).
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for value in range(4):
        assert prepared.fetchone("default", SQL + " -- plans", ["a", value])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            ["%-- plans%"],
        )
        assert cursor.fetchall() == [(4, 0)]  # runs on the generic plan, none custom


@pytest.mark.postgres
def test_nothing_is_prepared_behind_a_transaction_pooler(db):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    connection.ensure_connection()
    raw = connection.connection
    before, raw.prepare_threshold = raw.prepare_threshold, None  # as DATABASE_POOLER
    try:
        assert prepared.fetchone("default", SQL + " -- pooled", ["a", 1]) == ("ax", 2)
        assert prepared.fetchone("default", SQL + " -- pooled", ["a", 1]) == ("ax", 2)
    finally:
        raw.prepare_threshold = before
    assert not [s for s in _prepared_statements() if "pooled" in s]


@pytest.mark.postgres
def test_errors_are_django_errors_on_the_first_run_and_after(db):
    if connection.vendor != "postgresql":
        pytest.skip("the first run is pipelined on PostgreSQL only")
    for _ in range(2):
        with pytest.raises(DataError), transaction.atomic():
            prepared.fetchone("default", "SELECT 1 / %s", [0])
    assert prepared.fetchone("default", "SELECT 1 / %s", [1]) == (1,)


@pytest.mark.postgres
def test_one_cursor_serves_a_connection_until_a_statement_fails(db):
    if connection.vendor != "postgresql":
        pytest.skip("the kept cursor is PostgreSQL's")
    assert prepared.fetchone("default", SQL, ["a", 1]) == ("ax", 2)
    kept = prepared._cursors[connection.connection]
    assert prepared.fetchone("default", SQL, ["b", 2]) == ("bx", 3)
    assert prepared._cursors[connection.connection] is kept
    with pytest.raises(DataError), transaction.atomic():
        prepared.fetchone("default", "SELECT CAST(%s AS INTEGER)", ["nope"])
    assert kept.closed and connection.connection not in prepared._cursors
    # The next statement gets a cursor of its own and runs.
    assert prepared.fetchone("default", SQL, ["c", 3]) == ("cx", 4)
    assert prepared._cursors[connection.connection] is not kept

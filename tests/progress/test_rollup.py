"""The per-day rollup's writers (cards/progress/rollup.py) against the log itself."""

import importlib
from datetime import UTC, date, datetime

import pytest
from django.db import connection

from cards.models import ReviewKind, ReviewLog, StudyDay
from cards.progress import rollup
from cards.review import services
from tests.factories import make_question, make_user

KINDS = [k.value for k in ReviewKind]


def rollup_rows(user_id=None) -> dict:
    rows = StudyDay.objects.filter(reviews__gt=0).order_by("user_id", "study_day")
    if user_id is not None:
        rows = rows.filter(user_id=user_id)
    return {
        (r.user_id, r.study_day): {c: getattr(r, c) for c in rollup.COUNTERS}
        for r in rows
    }


def log_rows(user_id=None) -> dict:
    """The rollup computed afresh from the log, in Python (deltas)."""
    out: dict = {}
    logs = ReviewLog.objects.all()
    if user_id is not None:
        logs = logs.filter(user_id=user_id)
    for log in logs:
        d = rollup.deltas(grade=log.grade, kind=log.kind, duration_ms=log.duration_ms)
        day = out.setdefault((log.user_id, log.study_day), dict.fromkeys(d, 0))
        for c, n in d.items():
            day[c] += n
    return out


def test_deltas_count_what_daily_activity_counted():
    assert rollup.deltas(grade=1, kind="new", duration_ms=None) == {
        "reviews": 1, "new": 1, "again": 1, "hard": 0, "good": 0, "easy": 0,
        "scheduled": 0, "passed": 0, "ms": 0,
    }  # fmt: skip
    review = rollup.deltas(grade=3, kind="review", duration_ms=1234)
    assert (review["hard"], review["scheduled"], review["passed"]) == (1, 1, 1)
    assert review["ms"] == 1234 and review["again"] == 0
    drill = rollup.deltas(grade=5, kind="drill", duration_ms=7)
    assert (drill["easy"], drill["scheduled"], drill["passed"], drill["new"]) == (
        1,
        0,
        0,
        0,
    )


@pytest.mark.django_db
def test_counter_sql_agrees_with_deltas_for_every_grade_and_kind():
    """COUNTER_SQL (used by bulk fills and CTEs) and deltas (used per answer)
    are two spellings of one rule: evaluate both on every combination."""
    combos = [(g, k, ms) for g in range(6) for k in KINDS for ms in (None, 0, 999)]
    exprs = ", ".join(rollup.COUNTER_SQL[c] for c in rollup.COUNTERS)
    with connection.cursor() as cursor:
        for grade, kind, ms in combos:
            cursor.execute(
                f"SELECT {exprs} FROM (SELECT %s AS grade, %s AS kind, "
                "CAST(%s AS INTEGER) AS duration_ms) AS log",
                [grade, kind, ms],
            )
            got = dict(zip(rollup.COUNTERS, cursor.fetchone(), strict=True))
            assert got == rollup.deltas(grade=grade, kind=kind, duration_ms=ms), (
                grade,
                kind,
                ms,
            )


@pytest.mark.django_db
def test_record_upserts_and_sign_minus_one_takes_back():
    user = make_user()
    day = date(2026, 3, 2)
    rollup.record(user_id=user.pk, study_day=day, grade=4, kind="new", duration_ms=10)
    rollup.record(user_id=user.pk, study_day=day, grade=2, kind="review", duration_ms=5)
    row = StudyDay.objects.get(user=user, study_day=day)
    assert (row.reviews, row.new, row.again, row.good, row.scheduled, row.ms) == (
        2, 1, 1, 1, 1, 15,
    )  # fmt: skip
    for grade, kind, ms in [(4, "new", 10), (2, "review", 5)]:
        rollup.record(
            user_id=user.pk,
            study_day=day,
            grade=grade,
            kind=kind,
            duration_ms=ms,
            sign=-1,
        )
    row.refresh_from_db()
    # The emptied day stays as an all-zero row, which readers skip.
    assert all(getattr(row, c) == 0 for c in rollup.COUNTERS)
    assert rollup_rows(user.pk) == {}


@pytest.mark.django_db
def test_record_many_sums_a_batch_per_day():
    user = make_user()
    d1, d2 = date(2026, 3, 2), date(2026, 3, 3)
    rows = [
        ReviewLog(user_id=user.pk, study_day=d, grade=g, kind=k, duration_ms=ms)
        for d, g, k, ms in [
            (d1, 4, "new", 100),
            (d1, 1, "review", None),
            (d2, 5, "drill", 3),
        ]
    ]
    rollup.record(user_id=user.pk, study_day=d1, grade=3, kind="review", duration_ms=1)
    rollup.record_many(rows)
    got = rollup_rows(user.pk)
    assert got[(user.pk, d1)]["reviews"] == 3 and got[(user.pk, d1)]["ms"] == 101
    assert got[(user.pk, d1)]["passed"] == 1 and got[(user.pk, d1)]["again"] == 1
    assert got[(user.pk, d2)] == rollup.deltas(grade=5, kind="drill", duration_ms=3)


@pytest.mark.django_db
def test_grading_and_undo_keep_the_rollup_equal_to_the_log(clock):
    user = make_user()
    q1, q2 = make_question(), make_question()
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    first = services.record_review(
        user=user, question=q1, grade=4, version=0, now=now, duration_ms=900
    )
    services.record_review(
        user=user, question=q2, grade=1, version=0, now=now, duration_ms=None
    )
    drill = services.record_review(
        user=user, question=q1, grade=5, version=1, now=now, flow="drill"
    )
    assert rollup_rows(user.pk) == log_rows(user.pk)
    assert rollup_rows(user.pk)[(user.pk, first.study_day)]["reviews"] == 3
    services.undo_review(user=user, log_id=drill.pk, now=now)
    services.undo_review(user=user, log_id=first.pk, now=now)
    assert rollup_rows(user.pk) == log_rows(user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("sql", ["migration", "module"])
def test_backfill_rebuilds_the_rollup_from_the_log(sql):
    """The migration's frozen backfill and rollup.BACKFILL_SQL both give the
    GROUP BY over the log (the migration ran on an empty log in the test DB)."""
    user, other = make_user(), make_user()
    q = make_question()
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    for who in (user, other):
        services.record_review(
            user=who, question=q, grade=3, version=0, now=now, duration_ms=40
        )
        services.record_review(
            user=who, question=q, grade=0, version=1, now=now, flow="drill"
        )
    expected = log_rows()
    StudyDay.objects.all().delete()
    migration = importlib.import_module("cards.migrations.0021_rollup_study_days")
    statement = migration.BACKFILL if sql == "migration" else rollup.BACKFILL_SQL
    with connection.cursor() as cursor:
        cursor.execute(statement)
    assert rollup_rows() == expected


@pytest.mark.django_db
def test_deleting_the_account_deletes_its_days():
    user = make_user()
    rollup.record(
        user_id=user.pk, study_day=date(2026, 3, 2), grade=4, kind="new", duration_ms=1
    )
    user.delete()
    assert not StudyDay.objects.exists()


@pytest.mark.django_db
def test_upsert_from_and_subtract_from_add_and_take_back_log_rows():
    """The SQL forms for writers that write the log in SQL (a CTE's RETURNING)."""
    user, other = make_user(), make_user()
    q = make_question()
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    for who in (user, other):
        services.record_review(user=who, question=q, grade=4, version=0, now=now)
    expected = log_rows()
    where = f"user_id = {int(user.pk)}"
    with connection.cursor() as cursor:
        cursor.execute(rollup.subtract_from("cards_reviewlog", where=where))
        assert rollup_rows() == {k: v for k, v in expected.items() if k[0] != user.pk}
        cursor.execute(rollup.upsert_from("cards_reviewlog", where=where))
    assert rollup_rows() == expected

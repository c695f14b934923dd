"""Keeping cards_studyday (the per-learner-per-day rollup) equal to the log.

Every writer of ReviewLog adds what its rows count here, in its own
transaction: `record` for one answer (grade, or undo with sign=-1),
`record_many` for a batch (import), `upsert_from`/`subtract_from` for SQL that
writes the log itself (a data-modifying CTE, the migration's backfill, the benchmark's bulk
fill). Each counter is what daily_activity used to aggregate over the log:
`deltas` in Python and `COUNTER_SQL` in SQL say the same thing, and a test
holds them together. An undo of a day's last answer leaves an all-zero row;
readers skip rows with reviews = 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connection

from cards.review.answer import Kind
from cards.scheduling import PASSING_GRADE

TABLE = "cards_studyday"
COUNTERS = (
    "reviews",
    "new",
    "again",
    "hard",
    "good",
    "easy",
    "scheduled",
    "passed",
    "ms",
)

# Each counter as an expression over one log row (columns grade, kind,
# duration_ms); the literals are our own constants, never input.
COUNTER_SQL = {
    "reviews": "1",
    "new": f"CASE WHEN kind = '{Kind.NEW}' THEN 1 ELSE 0 END",
    "again": f"CASE WHEN grade < {PASSING_GRADE} THEN 1 ELSE 0 END",
    "hard": "CASE WHEN grade = 3 THEN 1 ELSE 0 END",
    "good": "CASE WHEN grade = 4 THEN 1 ELSE 0 END",
    "easy": "CASE WHEN grade = 5 THEN 1 ELSE 0 END",
    "scheduled": f"CASE WHEN kind = '{Kind.REVIEW}' THEN 1 ELSE 0 END",
    "passed": f"CASE WHEN kind = '{Kind.REVIEW}' AND grade >= {PASSING_GRADE} "
    "THEN 1 ELSE 0 END",
    "ms": "COALESCE(duration_ms, 0)",
}

_COLUMNS = ", ".join(("user_id", "study_day", *COUNTERS))
_ON_CONFLICT = "ON CONFLICT (user_id, study_day) DO UPDATE SET " + ", ".join(
    f"{c} = {TABLE}.{c} + excluded.{c}" for c in COUNTERS
)

# Parameters: user_id, study_day, then the COUNTERS in order (signed).
# ON CONFLICT ... DO UPDATE needs SQLite >= 3.24 (PostgreSQL >= 9.5).
UPSERT_SQL = (
    f"INSERT INTO {TABLE} ({_COLUMNS}) "
    f"VALUES ({', '.join(['%s'] * (2 + len(COUNTERS)))}) {_ON_CONFLICT}"
)
# Taking rows back is an UPDATE: the counters' CHECK (>= 0) constraints would
# refuse the negative row an upsert proposes before it finds the conflict.
# Parameters: the COUNTERS in order (positive), then user_id, study_day.
UNDO_SQL = (
    f"UPDATE {TABLE} SET "
    + ", ".join(f"{c} = {c} - %s" for c in COUNTERS)
    + " WHERE user_id = %s AND study_day = %s"
)


def deltas(*, grade: int, kind: str, duration_ms: int | None) -> dict[str, int]:
    """What one log row adds to its day's counters."""
    scheduled = kind == Kind.REVIEW
    return {
        "reviews": 1,
        "new": int(kind == Kind.NEW),
        "again": int(grade < PASSING_GRADE),
        "hard": int(grade == 3),
        "good": int(grade == 4),
        "easy": int(grade == 5),
        "scheduled": int(scheduled),
        "passed": int(scheduled and grade >= PASSING_GRADE),
        "ms": duration_ms or 0,
    }


def _params(user_id: int, study_day: date, counts: dict[str, int]) -> list:
    return [user_id, study_day, *(counts[c] for c in COUNTERS)]


def record(
    *,
    user_id: int,
    study_day: date,
    grade: int,
    kind: str,
    duration_ms: int | None,
    sign: int = 1,
) -> None:
    """Add (sign=1) or take back (sign=-1) one log row: one statement."""
    counts = deltas(grade=grade, kind=kind, duration_ms=duration_ms)
    with connection.cursor() as cursor:
        if sign == 1:
            cursor.execute(UPSERT_SQL, _params(user_id, study_day, counts))
        elif sign == -1:
            params = [*(counts[c] for c in COUNTERS), user_id, study_day]
            cursor.execute(UNDO_SQL, params)
        else:
            raise ValueError(sign)


def record_log(log: object, *, sign: int = 1) -> None:
    """record() for one log row (anything with user_id, study_day, grade, kind
    and duration_ms): its grade, or (sign=-1) its undo."""
    record(
        user_id=log.user_id,
        study_day=log.study_day,
        grade=log.grade,
        kind=log.kind,
        duration_ms=log.duration_ms,
        sign=sign,
    )


def record_many(rows: Iterable[object]) -> None:
    """Add a batch of log rows (objects with user_id, study_day, grade, kind,
    duration_ms): summed per day in Python, one upsert per day, one executemany."""
    days: dict[tuple[int, date], dict[str, int]] = {}
    for row in rows:
        counts = deltas(grade=row.grade, kind=row.kind, duration_ms=row.duration_ms)
        total = days.setdefault(
            (row.user_id, row.study_day), dict.fromkeys(COUNTERS, 0)
        )
        for c, n in counts.items():
            total[c] += n
    if days:
        with connection.cursor() as cursor:
            cursor.executemany(
                UPSERT_SQL, [_params(u, d, counts) for (u, d), counts in days.items()]
            )


def upsert_from(source: str, *, where: str = "true") -> str:
    """An upsert adding up the log rows of `source` (a table or CTE name with
    columns user_id, study_day, grade, kind, duration_ms) that match `where`.

    Grouped, so one statement may carry many rows of one day (PostgreSQL
    refuses to update a row twice in one upsert). `where` also keeps SQLite's
    parser from reading ON CONFLICT as a join's ON.
    """
    sums = ", ".join(f"SUM({COUNTER_SQL[c]})" for c in COUNTERS)
    return (
        f"INSERT INTO {TABLE} ({_COLUMNS}) "
        f"SELECT user_id, study_day, {sums} FROM {source} WHERE {where} "
        f"GROUP BY user_id, study_day {_ON_CONFLICT}"
    )


def subtract_from(source: str, *, where: str = "true") -> str:
    """An UPDATE taking back the log rows of `source` (as `upsert_from`; for
    a CTE of DELETE ... RETURNING). UPDATE ... FROM: SQLite >= 3.33."""
    sums = ", ".join(f"SUM({COUNTER_SQL[c]}) AS {c}" for c in COUNTERS)
    sets = ", ".join(f"{c} = {TABLE}.{c} - gone.{c}" for c in COUNTERS)
    return (
        f"UPDATE {TABLE} SET {sets} FROM (SELECT user_id, study_day, {sums} "
        f"FROM {source} WHERE {where} GROUP BY user_id, study_day) AS gone "
        f"WHERE {TABLE}.user_id = gone.user_id AND {TABLE}.study_day = gone.study_day"
    )


# The whole log, summed: the migration's backfill and the bench's bulk fill.
BACKFILL_SQL = upsert_from("cards_reviewlog")

"""Grading on PostgreSQL: one read and one write statement, no transaction.

The read brings the question, the learner's schedule for it, whether the
learner has a plan row and whether the card is suspended. The write is one
data-modifying CTE run in autocommit: it updates the schedule only if its
version is still the one read (and the question is active, and the card not
suspended), inserts the log row from the updated row, and adds the answer to
the learner's day (the rollup). A concurrent answer to the same shown state
finds the version moved (PostgreSQL re-checks the WHERE clause of an UPDATE
that waited on a row lock) and writes nothing: exactly once, without a lock
held between statements. The answer's maths stays in Python
(services.answer_card), between the two statements.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache

from django.db import IntegrityError, connections, router, transaction

from cards.models import InterviewPlan, Question, ReviewLog, ReviewSchedule, Suspension
from cards.progress import rollup
from cards.review import prepared
from cards.review.answer import Flow
from cards.review.conflicts import Reason, ReviewConflict

# The question's columns the grade reads (the prompt: a typed answer's check),
# in the model's order (Model.from_db expects it).
QUESTION_FIELDS = tuple(
    f.attname
    for f in Question._meta.concrete_fields
    if f.attname in ("id", "is_active", "level", "prompt")
)


@dataclass(frozen=True)
class Read:
    question: Question
    schedule: ReviewSchedule | None
    has_plan: bool
    is_suspended: bool


def _q(name: str) -> str:
    return connections["default"].ops.quote_name(name)


def _columns(model: type, fields: Sequence) -> str:
    return ", ".join(_q(f.column) for f in fields)


def _schedule_fields() -> list:
    return list(ReviewSchedule._meta.concrete_fields)


@cache
def read_sql() -> str:
    schedules, questions = ReviewSchedule._meta.db_table, Question._meta.db_table
    fields = _schedule_fields()
    return (
        f"SELECT {', '.join('q.' + _q(f) for f in QUESTION_FIELDS)}, "
        f"{', '.join('s.' + _q(f.column) for f in fields)}, "
        f"EXISTS (SELECT 1 FROM {_q(InterviewPlan._meta.db_table)} p "
        "WHERE p.user_id = %s), "
        f"EXISTS (SELECT 1 FROM {_q(Suspension._meta.db_table)} x "
        "WHERE x.user_id = %s AND x.question_id = q.id) "
        f"FROM {_q(questions)} q LEFT JOIN {_q(schedules)} s "
        "ON s.question_id = q.id AND s.user_id = %s WHERE q.id = %s"
    )


def read(user_pk: int, question_id: int, *, alias: str) -> Read | None:
    """The grade's one read (None: no such question)."""
    connection = connections[alias]
    low, high = connection.ops.integer_field_range(
        Question._meta.pk.get_internal_type()
    )
    if not low <= question_id <= high:
        return None  # as in the ORM: an id out of the column's range matches nothing
    # Both statements are planned once per connection (prepared.py).
    row = prepared.fetchone(alias, read_sql(), [user_pk, user_pk, user_pk, question_id])
    if row is None:
        return None
    n = len(QUESTION_FIELDS)
    question = Question.from_db(alias, list(QUESTION_FIELDS), list(row[:n]))
    fields = _schedule_fields()
    values = list(row[n : n + len(fields)])
    schedule = None
    if values[0] is not None:
        for i, field in enumerate(fields):
            if hasattr(field, "from_db_value") and values[i] is not None:
                values[i] = field.from_db_value(values[i], None, connection)
        schedule = ReviewSchedule.from_db(alias, [f.attname for f in fields], values)
        schedule.question = question
    has_plan, is_suspended = row[n + len(fields) :]
    return Read(question, schedule, bool(has_plan), bool(is_suspended))


def _prep(obj: object, fields: Sequence, connection, *, add: bool) -> list:
    return [f.get_db_prep_save(f.pre_save(obj, add), connection) for f in fields]


@cache
def _write_sql(created: bool, review: bool) -> tuple[str, tuple, tuple]:
    """The write's text and the fields whose values it takes, in order (the
    schedule's, then the log row's), for a first answer or not and a review or
    not: four fixed texts, built once per process."""
    table = _q(ReviewSchedule._meta.db_table)
    guard = (
        f"EXISTS (SELECT 1 FROM {_q(Question._meta.db_table)} "
        "WHERE id = %s AND is_active)"
    )
    if review:
        # A card suspended since it was shown (another tab) is not graded.
        guard += (
            f" AND NOT EXISTS (SELECT 1 FROM {_q(Suspension._meta.db_table)} "
            "WHERE user_id = %s AND question_id = %s)"
        )
    if created:
        fields = [f for f in _schedule_fields() if not f.primary_key]
        sched = (
            f"INSERT INTO {table} ({_columns(ReviewSchedule, fields)}) "
            f"SELECT {', '.join(['%s'] * len(fields))} WHERE {guard} "
            "ON CONFLICT (user_id, question_id) DO NOTHING RETURNING id"
        )
    else:
        fixed = {"id", "user", "question", "created_at"}
        fields = [f for f in _schedule_fields() if f.name not in fixed]
        sets = ", ".join(f"{_q(f.column)} = %s" for f in fields)
        sched = (
            f"UPDATE {table} SET {sets} "
            f"WHERE id = %s AND version = %s AND {guard} RETURNING id"
        )
    log_fields = [
        f for f in ReviewLog._meta.concrete_fields if f.name not in ("id", "schedule")
    ]
    values = ", ".join(["%s"] * len(log_fields))
    log_sql = (
        f"INSERT INTO {_q(ReviewLog._meta.db_table)} "
        f"({_columns(ReviewLog, log_fields)}, schedule_id) "
        f"SELECT {values}, sched.id FROM sched RETURNING id, user_id, study_day, "
        "kind, grade, duration_ms"
    )
    day_sql = _rollup_sql()
    sql = (
        f"WITH sched AS ({sched}), log AS ({log_sql}), day AS ({day_sql}) "
        "SELECT (SELECT id FROM sched), (SELECT id FROM log)"
    )
    return sql, tuple(fields), tuple(log_fields)


def write_statement(
    schedule: ReviewSchedule,
    log: ReviewLog,
    *,
    created: bool,
    read_version: int,
    flow: Flow,
    alias: str,
) -> tuple[str, list]:
    """The one write: the schedule (insert or version-checked update), its log
    row, the day's rollup; returns (schedule id, log id) or no ids."""
    connection = connections[alias]
    review = flow is Flow.REVIEW
    sql, fields, log_fields = _write_sql(created, review)
    guard_params: list = [log.question_id]
    if review:
        guard_params += [log.user_id, log.question_id]
    params = _prep(schedule, fields, connection, add=created)
    if not created:
        params += [schedule.pk, read_version]
    params += guard_params
    params += _prep(log, log_fields, connection, add=True)
    return sql, params


def _rollup_sql() -> str:
    # The per-day rollup's upsert (cards/progress/rollup.py), fed by the log
    # row the statement inserts: nothing when the guard let nothing through.
    return rollup.upsert_from("log")


def record_review(
    *,
    user: object,
    question: Question | int,
    answer_card: Callable,
    flow: Flow,
) -> ReviewLog:
    """services.record_review on PostgreSQL (see the module docstring)."""
    alias = router.db_for_write(ReviewLog)
    question_id = question.pk if isinstance(question, Question) else int(question)
    found = read(user.pk, question_id, alias=alias)
    if found is None:
        raise Question.DoesNotExist
    shown = question if isinstance(question, Question) else found.question
    # The version as read: the write's check (answer_card advances the copy).
    read_version = found.schedule.version if found.schedule else 0
    answered = answer_card(
        question=shown,
        schedule=found.schedule,
        is_suspended=found.is_suspended,
        has_plan=found.has_plan,
    )
    schedule, log = answered.schedule, answered.log
    sql, params = write_statement(
        schedule,
        log,
        created=answered.created,
        read_version=read_version,
        flow=flow,
        alias=alias,
    )
    connection = connections[alias]
    try:
        # Inside a caller's transaction, a savepoint keeps a refusal from
        # aborting it; on its own the statement is its own transaction.
        inside = connection.in_atomic_block
        block = transaction.atomic(using=alias) if inside else nullcontext()
        with block:
            schedule_id, log_id = prepared.fetchone(alias, sql, params)
    except IntegrityError:
        raise ReviewConflict(Reason.STALE) from None
    if log_id is None:
        _refuse(user, question_id, answer_card, alias=alias)
    schedule.pk = schedule_id
    schedule._state.adding, schedule._state.db = False, alias
    log.pk, log.schedule = log_id, schedule
    log._state.adding, log._state.db = False, alias
    return log


def _refuse(user: object, question_id: int, answer_card: Callable, *, alias: str):
    """The write found the card changed: read it again and say why."""
    found = read(user.pk, question_id, alias=alias)
    if found is not None:
        # Raises the answer rule's reason (stale, retired, not due, suspended).
        answer_card(
            question=found.question,
            schedule=found.schedule,
            is_suspended=found.is_suspended,
            has_plan=found.has_plan,
        )
    raise ReviewConflict(Reason.STALE)

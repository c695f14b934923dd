"""The queue's compiled statement (cards/review/queue_sql.py) against the ORM's."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cards.models import Level
from cards.review import queue, queue_sql
from tests.factories import make_question, make_schedule

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)  # study day 2026-01-05 in UTC


@given(
    user_pk=st.integers(1, 2**31 - 1),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2200, 12, 31)),
    ready_before=st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=st.just(UTC),
    ),
    levels=st.sets(st.sampled_from(Level.values)).map(lambda s: tuple(sorted(s))),
)
# 20 examples: each compiles the full snapshot through the ORM (~0.3 s); the
# statement's parameters are few, and derandomized CI draws the same 20.
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_cached_snapshot_statement_equals_a_fresh_compile(
    db, user_pk, today, ready_before, levels
):
    fresh = (
        queue_sql.snapshot_query(
            user_pk, today=today, ready_before=ready_before, levels=levels
        )
        .query.get_compiler("default")
        .as_sql()
    )
    cached = queue_sql.snapshot_statement(
        user_pk=user_pk, today=today, ready_before=ready_before, levels=levels
    )
    assert cached[0] == fresh[0]
    assert list(cached[1]) == list(fresh[1])
    assert [type(p) for p in cached[1]] == [type(p) for p in fresh[1]]


def test_cached_snapshot_reads_what_the_orm_reads(user):
    questions = [make_question(level=level) for level in (1, 2, 3, 3)]
    today = user.profile.study_day(NOW)
    make_schedule(user=user, question=questions[0], due_on=today, redrill_on=today)
    make_schedule(user=user, question=questions[1], due_on=today - timedelta(days=2))
    for levels in [(), (1,), (2, 3)]:
        ready_before = NOW - queue.REDRILL_DELAY
        via_orm = queue_sql.snapshot_query(
            user.pk, today=today, ready_before=ready_before, levels=levels
        ).get()
        cached = queue_sql.counts_and_heads(
            user.pk, today=today, ready_before=ready_before, levels=levels
        )
        via_orm["next_due_on"] = queue._as_date(via_orm["next_due_on"])
        cached["next_due_on"] = queue._as_date(cached["next_due_on"])
        assert cached == via_orm

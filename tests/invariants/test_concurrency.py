"""Concurrent grading from 8 processes loses nothing (plan items 2 and 3).

Item 2 on PostgreSQL (row lock + version check), item 3 on SQLite
(IMMEDIATE transactions, 20 s busy timeout). transaction=True: a TestCase
transaction would hide a select_for_update outside atomic().
"""

import multiprocessing
import os
from collections import Counter

import pytest
from django.db import connection

from cards.models import ReviewKind, ReviewLog, ReviewSchedule
from cards.scheduling import sm2
from tests.concurrency import grade_worker
from tests.factories import make_question, make_user

WORKERS = 8
# CI may lower this (RELIABILITY_CONCURRENT_GRADES); the plan's figure is 200.
GRADES_PER_WORKER = int(os.environ.get("RELIABILITY_CONCURRENT_GRADES", "200"))


def run_workers(user, questions) -> tuple[Counter, list[str]]:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    database = dict(connection.settings_dict)
    connection.close()  # SQLite: no open transaction of ours while they write
    ids = [q.pk for q in questions]
    procs = [
        ctx.Process(
            target=grade_worker,
            args=(database, user.pk, ids, GRADES_PER_WORKER, n, barrier, results),
        )
        for n in range(WORKERS)
    ]
    for proc in procs:
        proc.start()
    tally: Counter = Counter()
    errors: list[str] = []
    try:
        for _ in procs:
            _worker, counts, worker_errors = results.get(timeout=600)
            tally.update(counts)
            errors += worker_errors
    finally:
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
    return tally, errors


def assert_history_is_a_chain(schedule: ReviewSchedule) -> None:
    """Each answer starts from the state the previous one left (nothing overwritten)."""
    logs = list(schedule.logs.order_by("from_version"))
    assert [log.from_version for log in logs] == list(range(schedule.version))
    scheduler = sm2.SM2()
    for before, after in zip(logs, logs[1:], strict=False):
        assert after.kind != ReviewKind.NEW
        assert after.state_before == before.state_after
        if after.kind == ReviewKind.REVIEW:
            state = scheduler.next_state(
                scheduler.loads(after.state_before), after.grade, elapsed_days=0
            )
            assert after.state_after == scheduler.dumps(state)
    assert schedule.state == logs[-1].state_after


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("unmeasured_subprocesses")  # the grading this test covers
def test_concurrent_grading_loses_nothing(figure):
    user = make_user(username="racer")
    questions = [make_question() for _ in range(4)]

    tally, errors = run_workers(user, questions)

    rows = ReviewLog.objects.filter(user=user).count()
    schedules = list(ReviewSchedule.objects.filter(user=user))
    versions = sum(s.version for s in schedules)
    accepted = tally["accepted"]
    lost = max(accepted - rows, accepted - versions, 0)
    server_errors = tally["errors"] + tally["locked"]
    if connection.vendor == "postgresql":
        figure(
            2,
            f"{lost} lost of {accepted:,} concurrent grades ({tally['conflicts']:,} x 409, "
            f"{server_errors} x 5xx; {WORKERS} processes x {GRADES_PER_WORKER})",
        )
    else:
        figure(
            3,
            f"SQLite: {lost} lost, {server_errors} x 500 "
            f"({tally['locked']} 'database is locked') of {accepted:,} "
            f"({tally['conflicts']:,} x 409)",
        )
    assert errors == [], errors
    assert server_errors == 0
    assert tally["gave_up"] == 0
    assert accepted == WORKERS * GRADES_PER_WORKER
    assert accepted == rows == versions
    assert len(schedules) == 4
    for schedule in schedules:
        assert_history_is_a_chain(schedule)

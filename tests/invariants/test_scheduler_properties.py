"""SM-2 properties over long grade sequences (plan item 6).

Pure-function properties run 1,000 examples of 200 grades each; the service
checks (200 straight 5s stored, grade then undo) run against the database,
where PostgreSQL's integer and date limits apply.
"""

import os
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cards.models import ReviewLog, ReviewSchedule
from cards.review import services
from cards.scheduling import sm2
from cards.scheduling.sm2 import MAX_INTERVAL_DAYS, CardState, next_state
from tests.factories import make_question, make_schedule

EXAMPLES = int(os.environ.get("RELIABILITY_SCHEDULER_EXAMPLES", "1000"))
NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)
TODAY = date(2026, 1, 5)

states = st.builds(
    CardState,
    repetitions=st.integers(0, 10_000),
    interval_days=st.integers(0, MAX_INTERVAL_DAYS),
    ease=st.decimals(min_value=Decimal("1.3"), max_value=Decimal("50"), places=2),
)


def test_properties_hold_over_long_sequences(figure):
    seen = {"grades": 0, "max_interval": 0, "sequences": 0}

    @settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
    @given(states, st.integers(0, 2**32), st.integers(0, 5))
    def check(state, seed, bias):
        rng = random.Random(seed)
        # 200 grades per sequence; `bias` skews some towards long passing runs.
        grades = [
            5 if rng.random() < bias / 5 else rng.randint(0, 5) for _ in range(200)
        ]
        first = state
        for grade in grades:
            new = next_state(state, grade=grade, max_interval_days=MAX_INTERVAL_DAYS)
            assert new.ease >= sm2.MIN_EASE
            assert 1 <= new.interval_days <= MAX_INTERVAL_DAYS
            if grade < sm2.PASSING_GRADE:
                assert (new.repetitions, new.interval_days) == (0, 1)
            else:
                assert new.repetitions == state.repetitions + 1
            sm2.SM2().due_on(new, TODAY)  # stays a real date
            seen["max_interval"] = max(seen["max_interval"], new.interval_days)
            state = new
        replay = first
        for grade in grades:
            replay = next_state(
                replay, grade=grade, max_interval_days=MAX_INTERVAL_DAYS
            )
        assert replay == state  # deterministic
        seen["grades"] += len(grades)
        seen["sequences"] += 1

    try:
        check()
    finally:
        figure(
            6,
            f"max interval seen {seen['max_interval']:,} <= {MAX_INTERVAL_DAYS:,} over "
            f"{seen['grades']:,} grades ({seen['sequences']:,} sequences of 200)",
        )
    assert seen["max_interval"] == MAX_INTERVAL_DAYS


def test_two_hundred_straight_fives_are_stored_without_overflow(user, figure):
    schedule = make_schedule(user=user, due_on=TODAY, repetitions=0, interval_days=0)
    for _ in range(200):
        # Each answer as if the card had come due again today.
        ReviewSchedule.objects.filter(pk=schedule.pk).update(due_on=TODAY)
        schedule.refresh_from_db()
        services.record_review(
            user=user,
            question=schedule.question,
            grade=5,
            version=schedule.version,
            now=NOW,
        )
    schedule.refresh_from_db()
    last = ReviewLog.objects.filter(schedule=schedule).order_by("-from_version").first()
    figure(
        6,
        f"200 straight 5s stored: interval {schedule.interval_days:,} d, ease "
        f"{schedule.ease}, due {schedule.due_on}; 0 OverflowError/DataError",
    )
    assert schedule.interval_days == MAX_INTERVAL_DAYS
    assert schedule.due_on == TODAY + timedelta(days=MAX_INTERVAL_DAYS)
    assert schedule.ease == Decimal("22.50")
    assert last.state_after["interval_days"] == MAX_INTERVAL_DAYS


FIELDS = [f.name for f in ReviewSchedule._meta.fields]


@settings(
    max_examples=100,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(["new", "review", "redrill"]),
    grade=st.integers(0, 5),
    repetitions=st.integers(0, 30),
    interval=st.integers(1, MAX_INTERVAL_DAYS),
    ease=st.decimals(min_value=Decimal("1.3"), max_value=Decimal("9"), places=2),
    lapses=st.integers(0, 50),
)
def test_grade_then_undo_is_the_identity(
    user, kind, grade, repetitions, interval, ease, lapses
):
    with transaction.atomic():
        question = make_question()
        schedule = None
        if kind != "new":
            schedule = make_schedule(
                user=user,
                question=question,
                due_on=TODAY,
                repetitions=repetitions,
                interval_days=interval,
                ease=ease,
                lapses=lapses,
                redrill_on=TODAY if kind == "redrill" else None,
            )
            schedule.refresh_from_db()
            before = {f: getattr(schedule, f) for f in FIELDS}
        logs = ReviewLog.objects.count()
        log = services.record_review(
            user=user,
            question=question,
            grade=grade,
            version=schedule.version if schedule else 0,
            now=NOW,
        )
        services.undo_review(user=user, log_id=log.pk, now=NOW)
        assert ReviewLog.objects.count() == logs
        if schedule is None:
            assert not ReviewSchedule.objects.filter(question=question).exists()
        else:
            schedule.refresh_from_db()
            assert {f: getattr(schedule, f) for f in FIELDS} == before
        transaction.set_rollback(True)


def test_sequences_are_reproducible():
    rng = random.Random(7)
    grades = [rng.randint(0, 5) for _ in range(200)]
    runs = []
    for _ in range(2):
        state = CardState()
        for g in grades:
            state = next_state(state, grade=g, max_interval_days=MAX_INTERVAL_DAYS)
        runs.append(state)
    assert runs[0] == runs[1]

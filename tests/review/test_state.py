"""After every grade and undo, a schedule's columns equal its serialised state,
and the log holds the state before and after in the same form."""

from datetime import UTC, datetime, timedelta

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cards import scheduling
from cards.models import ReviewLog, ReviewSchedule
from cards.review import services
from cards.review.conflicts import ReviewConflict
from tests.factories import make_question

START = datetime(2026, 1, 5, 12, tzinfo=UTC)  # 12:00 UTC: a UTC learner's day

steps = st.lists(
    st.tuples(
        st.sampled_from(["review", "review", "drill", "mock"]),
        st.integers(0, 5),  # grade
        st.integers(0, 40),  # days to wait before answering
        st.booleans(),  # take the answer back
    ),
    min_size=1,
    max_size=25,
)


def assert_columns_match_state(schedule: ReviewSchedule) -> None:
    scheduler = scheduling.get(schedule.scheduler)
    state = schedule.as_state()
    assert scheduler.dumps(state) == schedule.state
    assert schedule.interval_days == scheduler.interval_days(state)
    assert (schedule.repetitions, schedule.ease) == (state.repetitions, state.ease)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_columns_equal_the_state_after_every_grade_and_undo(user, steps):
    with transaction.atomic():
        question = make_question()
        now, version, previous = START, 0, None
        for flow, grade, wait, undo in steps:
            now += timedelta(days=wait)
            try:
                log = services.record_review(
                    user=user,
                    question=question,
                    grade=grade,
                    version=version,
                    now=now,
                    flow=flow,
                )
            except ReviewConflict:
                continue  # not due in the daily review: nothing was written
            schedule = ReviewSchedule.objects.get(pk=log.schedule_id)
            assert_columns_match_state(schedule)
            assert (log.scheduler, log.state_after) == (
                schedule.scheduler,
                schedule.state,
            )
            assert log.state_before == (
                previous.state if previous else log.state_before
            )
            if log.started_schedule:
                initial = scheduling.get(log.scheduler).initial_state()
                assert log.state_before == scheduling.get(log.scheduler).dumps(initial)
            if undo:
                services.undo_review(user=user, log_id=log.pk, now=now)
                if previous is None:
                    assert not ReviewSchedule.objects.filter(
                        pk=log.schedule_id
                    ).exists()
                    continue
                schedule.refresh_from_db()
                assert_columns_match_state(schedule)
                assert (schedule.state, schedule.due_on) == (
                    previous.state,
                    previous.due_on,
                )
                assert schedule.version == previous.version
            previous = ReviewSchedule.objects.get(pk=log.schedule_id)
            version = previous.version
        assert ReviewLog.objects.filter(user=user).count() == version
        transaction.set_rollback(True)

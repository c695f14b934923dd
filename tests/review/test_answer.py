"""The answer rule (cards/review/answer.py), and the queue's SQL checked against it."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cards.models import Question, ReviewSchedule
from cards.review import answer, queue_sql
from cards.review.answer import Flow, Kind
from cards.review.conflicts import Reason, ReviewConflict
from cards.scheduling import MAX_INTERVAL_DAYS
from cards.scheduling.sm2 import SM2, CardState
from tests.factories import make_question, make_schedule

TODAY = date(2026, 1, 5)
NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)  # study day TODAY for a UTC learner
SM = SM2()


@dataclass
class Schedule:
    due_on: date
    redrill_on: date | None = None
    version: int = 3
    scheduler: str = "sm2"
    state: CardState = CardState(repetitions=3, interval_days=15)

    def as_state(self):
        return self.state


def days(n):
    return TODAY + timedelta(days=n)


@pytest.mark.parametrize(
    ("schedule", "flow", "kind"),
    [
        (None, Flow.REVIEW, Kind.NEW),
        (None, Flow.DRILL, Kind.DRILL),
        (None, Flow.MOCK, Kind.MOCK),
        (Schedule(due_on=days(0)), Flow.REVIEW, Kind.REVIEW),
        (Schedule(due_on=days(-9)), Flow.REVIEW, Kind.REVIEW),
        (Schedule(due_on=days(-9)), Flow.DRILL, Kind.REVIEW),  # due: on schedule
        (Schedule(due_on=days(3), redrill_on=TODAY), Flow.REVIEW, Kind.REDRILL),
        # A mock is off the schedule even for a due or re-drilling card (issue 18).
        (Schedule(due_on=days(3), redrill_on=TODAY), Flow.MOCK, Kind.MOCK),
        (Schedule(due_on=days(-9)), Flow.MOCK, Kind.MOCK),
        (Schedule(due_on=days(0), redrill_on=days(-1)), Flow.REVIEW, Kind.REVIEW),
        (Schedule(due_on=days(1)), Flow.REVIEW, None),  # not due: refused
        (Schedule(due_on=days(1)), Flow.DRILL, Kind.DRILL),
        (Schedule(due_on=days(400)), Flow.MOCK, Kind.MOCK),
    ],
)
def test_kind_of_each_case_of_the_rule(schedule, flow, kind):
    assert answer.kind_of(schedule, today=TODAY, flow=flow) == kind


def test_accept_refuses_stale_then_retired_then_not_due():
    not_due = Schedule(due_on=days(2))
    for shown, active, reason in [
        (2, False, Reason.STALE),
        (3, False, Reason.RETIRED),
        (3, True, Reason.NOT_DUE),
    ]:
        with pytest.raises(ReviewConflict) as refused:
            answer.accept(not_due, shown_version=shown, is_active=active, today=TODAY)
        assert refused.value.reason == reason
    assert answer.accept(None, shown_version=0, is_active=True, today=TODAY) == "new"
    assert answer.accept(not_due, shown_version=None, is_active=True, today=TODAY,
                         flow=Flow.DRILL) == Kind.DRILL  # fmt: skip


def effect(kind, schedule, grade):
    return answer.outcome_for(kind, schedule, grade=grade, today=TODAY)


def test_a_new_card_starts_its_schedule_and_redrills_below_four():
    for grade, again in [(1, TODAY), (3, TODAY), (4, None)]:
        result = effect(Kind.NEW, None, grade)
        assert result.state == SM.next_state(CardState(), grade, elapsed_days=0)
        assert (result.due_on, result.redrill_on) == (days(1), again)
        assert not result.is_lapse


def test_a_due_failure_of_a_learned_card_is_a_lapse_and_redrills():
    result = effect(Kind.REVIEW, Schedule(due_on=days(0)), 2)
    assert (result.state.repetitions, result.state.interval_days) == (0, 1)
    assert (result.due_on, result.redrill_on, result.is_lapse) == (days(1), TODAY, True)
    learning = Schedule(due_on=days(0), state=CardState())
    assert not effect(Kind.REVIEW, learning, 1).is_lapse


def test_a_redrill_leaves_the_state_and_due_date_alone():
    schedule = Schedule(due_on=days(6), redrill_on=TODAY)
    for grade, again in [(0, TODAY), (3, TODAY), (4, None), (5, None)]:
        result = effect(Kind.REDRILL, schedule, grade)
        assert (result.state, result.due_on) == (schedule.state, days(6))
        assert (result.redrill_on, result.is_lapse) == (again, False)


@pytest.mark.parametrize("kind", [Kind.DRILL, Kind.MOCK])
def test_off_schedule_success_changes_nothing(kind):
    schedule = Schedule(due_on=days(9), redrill_on=days(-4))
    for grade in (3, 4, 5):
        result = effect(kind, schedule, grade)
        assert (result.state, result.due_on) == (schedule.state, days(9))
        assert (result.redrill_on, result.is_lapse) == (days(-4), False)


@pytest.mark.parametrize("kind", [Kind.DRILL, Kind.MOCK])
def test_off_schedule_failure_resets_as_a_due_failure_without_a_redrill(kind):
    schedule = Schedule(due_on=days(9))
    due_failure = effect(Kind.REVIEW, schedule, 1)
    result = effect(kind, schedule, 1)
    assert (result.state, result.due_on, result.is_lapse) == (
        due_failure.state,
        due_failure.due_on,
        True,
    )
    assert result.redrill_on is None and due_failure.redrill_on == TODAY


def test_an_off_schedule_first_answer_starts_the_schedule_without_a_redrill():
    first = effect(Kind.NEW, None, 1)
    drilled = effect(Kind.DRILL, None, 1)
    assert (drilled.state, drilled.due_on) == (first.state, first.due_on)
    assert drilled.redrill_on is None and first.redrill_on == TODAY


def test_a_cap_shortens_the_interval():
    result = answer.outcome_for(
        Kind.REVIEW, Schedule(due_on=days(0)), grade=5, today=TODAY, cap=3
    )
    assert result.state.interval_days == 38 and result.due_on == days(3)


@pytest.mark.parametrize(
    ("schedule", "scheduler"), [(Schedule(due_on=days(0)), "sm2"), (None, "fsrs")]
)
def test_a_later_day_past_a_break_moves_only_the_due_day(schedule, scheduler):
    # plan.away_cap: more days than the interval put the card after a planned
    # break; the state is the scheduler's own, under SM-2 and FSRS alike.
    kind = Kind.NEW if schedule is None else Kind.REVIEW
    common = {"grade": 5, "today": TODAY, "new_scheduler": scheduler}
    free = answer.outcome_for(kind, schedule, **common)
    interval = (free.due_on - TODAY).days
    asked = []

    def cap_for(days):
        asked.append(days)
        return days + 4

    later = answer.outcome_for(kind, schedule, **common, cap_for=cap_for)
    assert asked == [interval] and interval >= 1
    assert later.state == free.state and later.due_on == days(interval + 4)
    assert (later.redrill_on, later.is_lapse) == (free.redrill_on, free.is_lapse)


def test_a_later_day_leaves_same_day_steps_and_redrills_alone():
    def later(days):
        return days + 4

    step = answer.outcome_for(
        Kind.NEW, None, grade=3, today=TODAY, new_scheduler="fsrs", cap_for=later
    )
    assert step.in_step and step.redrill_on == TODAY and step.due_on == days(1)
    redrill = answer.outcome_for(
        Kind.REDRILL,
        Schedule(due_on=days(6), redrill_on=TODAY),
        grade=4,
        today=TODAY,
        cap_for=later,
    )
    assert redrill.due_on == days(6)


sm2_states = st.builds(
    CardState,
    repetitions=st.integers(0, 40),
    interval_days=st.integers(1, MAX_INTERVAL_DAYS),
    ease=st.decimals(min_value=Decimal("1.3"), max_value=Decimal("6"), places=2),
)


@given(state=sm2_states, due_in=st.integers(1, 400), grade=st.integers(0, 5))
def test_off_schedule_never_lengthens_the_interval_or_delays_the_due_date(
    state, due_in, grade
):
    schedule = Schedule(due_on=days(due_in), state=state)
    result = effect(Kind.DRILL, schedule, grade)
    assert SM.interval_days(result.state) <= state.interval_days
    assert result.due_on <= schedule.due_on
    assert result.redrill_on != TODAY


# The queue's SQL agrees with the rule ------------------------------------------

offsets = st.integers(-3, 3)
rows = st.lists(
    st.tuples(
        st.booleans(),  # started (has a schedule)
        offsets,  # due_on - today
        st.sampled_from([None, -1, 0, 1]),  # redrill_on - today
        st.booleans(),  # question active
    ),
    min_size=1,
    max_size=12,
)


def sql_kinds(user, today):
    """Each question's kind as the queue's SQL sees it (None: in no sub-queue)."""
    where = dict.fromkeys(Question.objects.values_list("pk", flat=True))
    for pk in queue_sql.new_questions_for(user).values_list("pk", flat=True):
        where[pk] = Kind.NEW
    due = queue_sql.due_reviews_for(user, today).values_list("question_id", flat=True)
    for pk in due:
        where[pk] = Kind.REVIEW
    redrills = queue_sql.redrills_for(user, today).values_list("question_id", flat=True)
    for pk in redrills:
        assert where[pk] is None, "a card in two sub-queues"
        where[pk] = Kind.REDRILL
    return where


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=rows)
def test_the_queue_sql_agrees_with_the_answer_rule(user, rows):
    with transaction.atomic():
        expected = {}
        for started, due, redrill, active in rows:
            question = make_question(is_active=active)
            schedule = None
            if started:
                schedule = make_schedule(
                    user=user,
                    question=question,
                    due_on=days(due),
                    redrill_on=None if redrill is None else days(redrill),
                )
            # The daily queue serves exactly what the rule accepts unasked.
            try:
                kind = answer.accept(
                    schedule, shown_version=None, is_active=active, today=TODAY
                )
            except ReviewConflict:
                kind = None
            expected[question.pk] = kind
        assert sql_kinds(user, TODAY) == expected
        counts = queue_sql.counts_and_heads(
            user.pk, today=TODAY, ready_before=NOW, levels=()
        )
        kinds = list(expected.values())
        assert counts["redrills"] == kinds.count(Kind.REDRILL)
        assert counts["due"] == kinds.count(Kind.REVIEW)
        assert counts["new_available"] == kinds.count(Kind.NEW)
        assert ReviewSchedule.objects.filter(user=user).count() == sum(
            r[0] for r in rows
        )
        transaction.set_rollback(True)

"""FSRS behind the Scheduler protocol (cards/scheduling/fsrs.py) against py-fsrs itself."""

import json
from datetime import UTC, date, datetime, timedelta

import fsrs as pyfsrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cards import scheduling
from cards.scheduling import base
from cards.scheduling.fsrs import (
    DEFAULT_PARAMETERS,
    FSRS,
    RATING_OF_GRADE,
    FSRSState,
    configured,
)

DAY = date(2026, 1, 5)
START = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)

# One answer: a grade, whole days since the previous answer, and minutes more
# within the day (so the study days elapsed are py-fsrs's days_since_last_review).
answers = st.lists(
    st.tuples(
        st.sampled_from(list(base.GRADES)),
        st.one_of(st.just(0), st.integers(0, 3), st.integers(0, 400)),
        st.integers(1, 600),
    ),
    min_size=1,
    max_size=25,
)
retentions = st.sampled_from([0.7, 0.8, 0.85, 0.9, 0.95, 0.97])


def fsrs_states():
    scheduler = FSRS()

    @st.composite
    def build(draw):
        state = scheduler.initial_state()
        for grade, days, _ in draw(answers):
            state = scheduler.next_state(state, grade, elapsed_days=days)
        return state

    return build()


@given(answers, retentions)
def test_every_answer_is_exactly_py_fsrs_own(history, retention):
    """The app's state and interval after each answer equal py-fsrs's own card,
    reviewed at real moments, with the same parameters and fuzz off."""
    ours = FSRS(desired_retention=retention)
    theirs = pyfsrs.Scheduler(desired_retention=retention, enable_fuzzing=False)
    state, card, moment = ours.initial_state(), pyfsrs.Card(card_id=7, due=START), START
    for grade, days, minutes in history:
        moment = moment + timedelta(days=days, minutes=minutes)
        card, _ = theirs.review_card(card, RATING_OF_GRADE[grade], moment)
        state = ours.next_state(state, grade, elapsed_days=days)
        assert state.phase == card.state.name.lower()
        assert (state.step, state.stability, state.difficulty) == (
            card.step,
            card.stability,
            card.difficulty,
        )
        if card.state is pyfsrs.State.Review:
            assert timedelta(days=state.interval_days) == card.due - moment
            assert not ours.later_today_after(state)
        else:  # a step of minutes: later today
            assert card.due - moment < timedelta(hours=1)
            assert state.interval_days == 0 and ours.later_today_after(state)


@given(answers)
def test_replaying_a_history_is_py_fsrs_reschedule_card(history):
    theirs = pyfsrs.Scheduler(enable_fuzzing=False)
    logs, moment, state = [], START, FSRS().initial_state()
    for grade, days, minutes in history:
        moment = moment + timedelta(days=days, minutes=minutes)
        logs.append(pyfsrs.ReviewLog(7, RATING_OF_GRADE[grade], moment, None))
        state = FSRS().next_state(state, grade, elapsed_days=days)
    card = theirs.reschedule_card(pyfsrs.Card(card_id=7, due=START), logs)
    assert (state.stability, state.difficulty) == (card.stability, card.difficulty)


@given(fsrs_states(), st.integers(0, 400), retentions)
def test_the_preview_is_what_grading_then_gives(state, elapsed, retention):
    """No fuzz: intervals() and next_state agree, and asking twice agrees."""
    scheduler = configured(retention)
    assert scheduler.engine.enable_fuzzing is False
    previews = scheduler.intervals(state, elapsed_days=elapsed)
    assert previews == scheduler.intervals(state, elapsed_days=elapsed)
    for grade, days in previews.items():
        new = scheduler.next_state(state, grade, elapsed_days=elapsed)
        assert days == new.interval_days <= base.MAX_INTERVAL_DAYS


def test_each_button_of_a_learned_card_has_its_own_interval():
    scheduler = FSRS()
    state = scheduler.next_state(scheduler.initial_state(), 5, elapsed_days=0)
    shown = scheduler.intervals(state, elapsed_days=state.interval_days)
    assert shown[1] == 0 < shown[3] < shown[4] < shown[5]


def test_higher_retention_gives_shorter_intervals():
    state = FSRSState(phase="review", step=None, stability=20.0, difficulty=5.0)
    days = [
        configured(r).next_state(state, 4, elapsed_days=20).interval_days
        for r in (0.7, 0.8, 0.9, 0.95, 0.97)
    ]
    assert days == sorted(days, reverse=True) and len(set(days)) == 5


@pytest.mark.parametrize("retention", [0.69, 0.98, 1, True, "0.9"])
def test_desired_retention_outside_the_range_is_refused(retention):
    with pytest.raises(ValueError, match="desired retention"):
        FSRS(desired_retention=retention)


def test_configured_is_the_learners_fsrs_and_sm2_has_no_options():
    assert scheduling.configured("fsrs", desired_retention=0.85) is configured(0.85)
    assert scheduling.configured("fsrs").desired_retention == 0.9
    assert scheduling.configured("sm2", desired_retention=0.8) is scheduling.get("sm2")
    assert scheduling.get("fsrs").parameters == DEFAULT_PARAMETERS


@given(fsrs_states())
def test_loads_inverts_dumps_exactly_through_json(state):
    data = FSRS().dumps(state)
    assert list(data) == sorted(data)
    assert FSRS().loads(json.loads(json.dumps(data))) == state


@pytest.mark.parametrize(
    "data",
    [
        {"phase": "learning", "step": 0, "stability": None, "difficulty": None},
        {
            "phase": "graduated",
            "step": None,
            "stability": 2.0,
            "difficulty": 5.0,
            "interval_days": 3,
        },
        {
            "phase": "review",
            "step": 1,
            "stability": 2.0,
            "difficulty": 5.0,
            "interval_days": 3,
        },
        {
            "phase": "review",
            "step": None,
            "stability": 2.0,
            "difficulty": 5.0,
            "interval_days": 0,
        },
        {
            "phase": "review",
            "step": None,
            "stability": 0,
            "difficulty": 5.0,
            "interval_days": 3,
        },
        {
            "phase": "review",
            "step": None,
            "stability": 2.0,
            "difficulty": 11,
            "interval_days": 3,
        },
        {
            "phase": "review",
            "step": None,
            "stability": None,
            "difficulty": None,
            "interval_days": 3,
        },
        {
            "phase": "relearning",
            "step": 0,
            "stability": float("nan"),
            "difficulty": 5.0,
            "interval_days": 0,
        },
        {
            "phase": "learning",
            "step": True,
            "stability": 2.0,
            "difficulty": 5.0,
            "interval_days": 0,
        },
        ["review", None, 2.0, 5.0, 3],
    ],
)
def test_loads_refuses_what_dumps_could_not_have_written(data):
    with pytest.raises(
        ValueError, match="FSRS state|phase|step|stability|difficulty|interval"
    ):
        FSRS().loads(data)


def test_steps_come_back_later_today_and_otherwise_tomorrow():
    scheduler = FSRS()
    new = scheduler.next_state(scheduler.initial_state(), 4, elapsed_days=0)
    assert new.phase == "learning" and scheduler.later_today_after(new)
    assert scheduler.due_on(new, DAY) == DAY + timedelta(days=1)
    assert not scheduler.needs_redrill(1)
    learned = scheduler.next_state(new, 4, elapsed_days=0)
    assert scheduler.due_on(learned, DAY) == DAY + timedelta(days=learned.interval_days)
    assert scheduler.due_on(learned, DAY, cap=1) == DAY + timedelta(days=1)


def test_a_lapse_is_again_on_a_card_in_review():
    scheduler = FSRS()
    review = FSRSState(
        phase="review", step=None, stability=9.0, difficulty=5.0, interval_days=9
    )
    relearning = scheduler.next_state(review, 1, elapsed_days=9)
    assert [scheduler.is_lapse(review, g) for g in base.GRADES] == [True] * 3 + [
        False
    ] * 3
    assert not scheduler.is_lapse(relearning, 1)
    assert not scheduler.is_lapse(scheduler.initial_state(), 0)
    assert scheduler.is_learned(relearning) and not scheduler.is_learned(FSRSState())


def test_recall_is_py_fsrs_retrievability():
    scheduler = FSRS()
    state = FSRSState(
        phase="review", step=None, stability=10.0, difficulty=5.0, interval_days=10
    )
    assert scheduler.recall_probability(state, DAY, reviewed_on=DAY) == 1.0
    ten = scheduler.recall_probability(state, DAY + timedelta(days=10), reviewed_on=DAY)
    assert ten == pytest.approx(0.9)
    assert scheduler.recall_probability(FSRSState(), DAY, reviewed_on=DAY) == 0.0
    with pytest.raises(ValueError, match="before"):
        scheduler.recall_probability(state, DAY - timedelta(days=1), reviewed_on=DAY)

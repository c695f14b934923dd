"""A run-up day over its limit (cards/scheduling/plan/day.py): what it moves.

No database, no clock: every date is fixed. A 60-day plan set on TODAY has its
final window from day 46, so days 0-45 are its run-up.
"""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cards.scheduling import plan
from cards.scheduling.plan import Card, Phase
from cards.scheduling.plan.day import DEFER_FLOOR, LIMIT_SLACK, day_limit, defer
from cards.scheduling.sm2 import SM2, CardState

TODAY = date(2026, 1, 5)
SCHED = SM2()
PLAN = plan.set_interview(TODAY + timedelta(days=60), today=TODAY)


def day(n: int) -> date:
    return TODAY + timedelta(days=n)


def card(cid: int, *, repetitions: int, interval: int, due: int) -> Card:
    """A card answered `interval` days before it falls `due`."""
    return Card(
        id=cid,
        level=1,
        scheduler=SCHED,
        state=CardState(repetitions=repetitions, interval_days=interval),
        due_on=day(due),
        reviewed_on=day(due - interval),
    )


def failed_yesterday(cid: int, on: int) -> Card:
    return card(cid, repetitions=0, interval=1, due=on)


def second_answer(cid: int, on: int) -> Card:
    """A new card's next-day review."""
    return card(cid, repetitions=1, interval=1, due=on)


def test_a_day_over_its_limit_moves_the_review_that_can_wait():
    # Day 20: a review failed yesterday and a new card's second answer (both
    # due whatever the plan does) meet a 12-day review: 3 against a limit of 2.
    cards = [failed_yesterday(1, 20), second_answer(2, 20)]
    cards += [card(3, repetitions=3, interval=12, due=20)]
    cards += [card(10 + d, repetitions=3, interval=12, due=20 + d) for d in (1, 3)]
    assert day_limit(PLAN, day(20), cards, default=SCHED, answered=24) == 2
    today = plan.plan_day(PLAN, day(20), cards, default=SCHED, answered=24)
    assert today.phase is Phase.RUN_UP and today.new == 0
    # To the least-loaded day it may reach: day 22 (day 21 already has one).
    assert today.deferred == ((3, day(22)),)
    assert set(today.order) == {1, 2}


def test_a_next_day_review_never_waits():
    # Its recall would fall from 90% to 85% in one day.
    cards = [failed_yesterday(i, 20) for i in range(3)]
    cards += [second_answer(3 + i, 20) for i in range(3)]
    today = plan.plan_day(PLAN, day(20), cards, default=SCHED, answered=24)
    assert today.deferred == ()
    assert len(today.order) == 6


def test_a_day_within_its_limit_moves_nothing():
    cards = [failed_yesterday(1, 20), card(3, repetitions=3, interval=12, due=20)]
    cards += [card(10 + d, repetitions=3, interval=12, due=20 + d) for d in (1, 3)]
    assert day_limit(PLAN, day(20), cards, default=SCHED, answered=30) == 2
    today = plan.plan_day(PLAN, day(20), cards, default=SCHED, answered=30)
    assert today.deferred == () and set(today.order) == {1, 3}


def test_the_review_least_hurt_by_waiting_goes_first():
    short = card(1, repetitions=2, interval=6, due=20)
    long = card(2, repetitions=4, interval=30, due=20)
    moved = defer(PLAN, day(20), [short, long], [short, long], over=1, limit=2)
    assert list(moved) == [2]  # 89.8% a day late, against 88.9%


def test_no_review_waits_past_the_cap_or_onto_a_full_day():
    # The run-up's last day of a 12-day plan (window: days 9-11); the cap's
    # latest day is the day before the interview (day 11), and days 9-11 are
    # full: the 30-day review, which could wait days more, stays today.
    short_plan = plan.set_interview(day(12), today=TODAY)
    review = card(1, repetitions=4, interval=30, due=8)
    full = [card(10 + i, repetitions=4, interval=30, due=9 + i % 3) for i in range(6)]
    assert plan.phase(short_plan, day(8)) is Phase.RUN_UP
    assert defer(short_plan, day(8), [review], [review, *full], over=1, limit=2) == {}
    room = defer(short_plan, day(8), [review], [review, *full[:5]], over=1, limit=2)
    assert room == {1: day(11)}


def test_no_review_waits_onto_the_run_ups_last_day():
    # Day 45 takes whatever new cards are left, which its due count (0) does
    # not show; every day after it is full.
    review = card(1, repetitions=4, interval=30, due=44)
    full = [
        card(10 + i, repetitions=4, interval=30, due=46 + i // 2) for i in range(28)
    ]
    assert plan.window_start(PLAN) == day(46)
    assert defer(PLAN, day(44), [review], [review, *full], over=1, limit=2) == {}
    room = defer(PLAN, day(44), [review], [review, *full[1:]], over=1, limit=2)
    assert room == {1: day(46)}


def test_the_limit_counts_the_days_already_answered():
    cards = [card(i, repetitions=3, interval=12, due=20 + i) for i in range(10)]
    light = day_limit(PLAN, day(20), cards, default=SCHED, answered=0)
    heavy = day_limit(PLAN, day(20), cards, default=SCHED, answered=200)
    assert light < heavy
    alone = day_limit(PLAN, day(20), cards, default=SCHED)
    share = plan.target_load(PLAN, day(20), cards, default=SCHED)
    assert alone == max(2, -(-(1.5 * share - LIMIT_SLACK) // 1))


@given(
    intervals=st.lists(st.integers(1, 40), min_size=1, max_size=12),
    later=st.lists(st.integers(21, 59), max_size=30),
    limit=st.integers(1, 4),
)
def test_a_moved_review_keeps_its_recall_its_cap_and_the_days_limit(
    intervals, later, limit
):
    due = [
        card(i, repetitions=3 if n > 1 else 0, interval=n, due=20)
        for i, n in enumerate(intervals)
    ]
    others = [
        card(100 + i, repetitions=3, interval=10, due=d) for i, d in enumerate(later)
    ]
    moved = defer(PLAN, day(20), due, due + others, over=len(due), limit=limit)
    by_id = {c.id: c for c in due}
    for cid, to in moved.items():
        assert day(20) < to <= PLAN.on - timedelta(days=1)
        assert by_id[cid].recall_on(to) >= DEFER_FLOOR
        assert by_id[cid].state.interval_days > 1
    for d in {*moved.values()}:
        before = sum(c.due_on == d for c in others)
        assert before + sum(to == d for to in moved.values()) <= max(limit, before)


def _two_new_and_reviews_on(*due: int) -> list[Card]:
    cards = [Card(id=100 + i, level=1) for i in range(2)]
    return cards + [
        card(i, repetitions=3, interval=12, due=d) for i, d in enumerate(due)
    ]


def test_a_run_up_day_with_nothing_due_takes_a_new_card():
    # 2 questions left for 36 run-up days: the pace floor asks none today,
    # and the even share leaves no room for one.
    cards = _two_new_and_reviews_on(12, 13, 14)
    assert plan.room_for_new(PLAN, day(10), cards, default=SCHED, due_today=0) == 0
    assert plan.plan_day(PLAN, day(10), cards, default=SCHED).new == 1


def test_a_run_up_day_with_a_review_due_keeps_its_even_share():
    cards = _two_new_and_reviews_on(10, 13, 14)
    assert plan.room_for_new(PLAN, day(10), cards, default=SCHED, due_today=1) < 1
    assert plan.plan_day(PLAN, day(10), cards, default=SCHED).new == 0


def test_the_run_ups_own_mean_bounds_the_limit_after_ten_days():
    # Seven reviews failed yesterday raise the projected work: the whole run's
    # mean comes out at 1.42 cards a day (a limit of 3), while the 24 cards
    # answered over the 20 days so far make 1.2 (a limit of 2).
    failed = [failed_yesterday(i, 20) for i in range(7)]
    planned = [card(10 + i, repetitions=3, interval=12, due=21 + i) for i in range(6)]
    cards = failed + planned
    whole = (24 + plan.target_load(PLAN, day(20), cards, default=SCHED) * 40) / 60
    assert -(-1.5 * whole // 1) == 3
    assert day_limit(PLAN, day(20), cards, default=SCHED, answered=24) == 2


def test_the_limit_is_never_under_two_cards():
    # Back after missed days: nothing answered in 20 days.
    cards = [failed_yesterday(1, 20), second_answer(2, 20)]
    assert day_limit(PLAN, day(20), cards, default=SCHED, answered=0) == 2


def test_the_limit_takes_a_further_card_only_past_the_slack():
    # 28 cards over 20 days: 1.5x a mean of 1.4 is 2.1, a limit of 2 (not 3:
    # the run-up's mean so far overstates its final one); 31 cards: 2.33, 3.
    failed = [failed_yesterday(i, 20) for i in range(7)]
    planned = [card(10 + i, repetitions=3, interval=12, due=21 + i) for i in range(6)]
    cards = failed + planned
    assert day_limit(PLAN, day(20), cards, default=SCHED, answered=28) == 2
    assert day_limit(PLAN, day(20), cards, default=SCHED, answered=31) == 3

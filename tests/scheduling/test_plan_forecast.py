"""Readiness and feasibility (plan/forecast.py), breaks and backlogs (plan/breaks.py)."""

import math
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cards import scheduling
from cards.scheduling import plan
from cards.scheduling.plan import Card
from cards.scheduling.plan.breaks import BEFORE_WEIGHT, ENTRY_LIMIT, STRETCH
from cards.scheduling.plan.day import DEFER_FLOOR
from cards.scheduling.sm2 import SM2, CardState

TODAY = date(2026, 1, 5)
SCHED = SM2()


def day(n: int) -> date:
    return TODAY + timedelta(days=n)


def seen(cid: int, *, interval: int = 6, due: int = 3, last: int = -3, level=1):
    return Card(
        id=cid,
        level=level,
        scheduler=SCHED,
        state=CardState(repetitions=2, interval_days=interval),
        due_on=day(due),
        reviewed_on=day(last),
    )


def test_effort_comes_from_the_learners_own_medians_with_defaults():
    effort = plan.effort_from([40_000] * 5 + [None], [10_000, 12_000, 14_000] * 2)
    assert effort == plan.Effort(new_seconds=40.0, review_seconds=12.0)
    assert plan.effort_from([1000], []) == plan.Effort()


def test_the_infeasibility_warning_says_what_would_fit():
    interview = plan.set_interview(day(14), today=TODAY, minutes_per_day=15)
    cards = [Card(id=i, level=1) for i in range(160)]
    check = plan.feasibility(
        interview, TODAY, cards, default=SCHED, effort=plan.Effort(60, 20)
    )
    assert not check.is_feasible
    assert 0 < check.coverage < 1
    percent = int(check.coverage * 100)
    later = TODAY + timedelta(days=check.days_needed)
    assert check.sentence == (
        f"At 15 minutes a day you will cover {percent}% of the chosen questions; "
        f"at {check.minutes_needed} you will cover all of them. Or, at 15 minutes "
        f"a day: choose about {check.questions_fit} questions (fewer levels), "
        f"or allow {check.days_needed} days (an interview on "
        f"{later:%-d %B %Y} or later)."
    )
    # Each way out it names fits: fewer questions, or more days.
    fewer = plan.feasibility(
        interview,
        TODAY,
        cards[: check.questions_fit],
        default=SCHED,
        effort=plan.Effort(60, 20),
    )
    assert fewer.is_feasible
    more_days = plan.set_interview(later, today=TODAY, minutes_per_day=15)
    assert plan.feasibility(
        more_days, TODAY, cards, default=SCHED, effort=plan.Effort(60, 20)
    ).is_feasible
    assert check.days_needed > 14
    assert check.minutes_needed % 5 == 0 and check.minutes_needed > 15
    # The minutes it names are enough.
    enough = plan.set_interview(
        day(14), today=TODAY, minutes_per_day=check.minutes_needed
    )
    again = plan.feasibility(
        enough, TODAY, cards, default=SCHED, effort=plan.Effort(60, 20)
    )
    assert again.is_feasible
    assert again.sentence.startswith(
        f"At {check.minutes_needed} minutes a day you will cover all"
    )


def test_a_short_runway_warns_when_day_one_cannot_introduce_enough():
    # 10 questions in 3 days: the run-up is days 0 and 1, the window day 2.
    # Over the three days 10 minutes cover the work, but a learner slow on new
    # questions fits 6 of them on day one (76 s + re-drills each) and would
    # leave 4 to day 1, where a card gets one review before the day.
    interview = plan.set_interview(day(3), today=TODAY, minutes_per_day=10)
    cards = [Card(id=i, level=1) for i in range(10)]
    slow = plan.Effort(new_seconds=76, review_seconds=18)
    check = plan.feasibility(interview, TODAY, cards, default=SCHED, effort=slow)
    assert not check.is_feasible
    assert check.coverage == 0.8  # 6 on day one + the quarter allowed on day 1
    assert check.minutes_needed == 15
    assert check.questions_fit == 8
    assert check.sentence.startswith(
        "At 10 minutes a day you will cover 80% of the chosen questions; at 15"
    )
    # What it names fits: 15 minutes, or 8 questions, or the days it names.
    for minutes, n, on in ((15, 10, day(3)), (10, 8, day(3))):
        other = plan.set_interview(on, today=TODAY, minutes_per_day=minutes)
        assert plan.feasibility(
            other, TODAY, cards[:n], default=SCHED, effort=slow
        ).is_feasible
    later = plan.set_interview(day(check.days_needed), today=TODAY, minutes_per_day=10)
    assert plan.feasibility(later, TODAY, cards, default=SCHED, effort=slow).is_feasible
    # A learner who fits 8 on day one leaves 2 (a quarter at most) to day 1.
    quick = plan.Effort(new_seconds=57, review_seconds=15)
    assert plan.feasibility(
        interview, TODAY, cards, default=SCHED, effort=quick
    ).is_feasible


@pytest.mark.parametrize("runway", [0, 1, 2])
def test_a_runway_of_two_days_or_less_has_no_earlier_day_to_ask_for(runway):
    interview = plan.set_interview(day(runway), today=TODAY, minutes_per_day=10)
    cards = [Card(id=i, level=1) for i in range(5)]
    check = plan.feasibility(
        interview, TODAY, cards, default=SCHED, effort=plan.Effort(60, 20)
    )
    assert check.is_feasible


def test_the_share_of_reviews_failed_comes_from_the_learners_own_grades():
    grades = [1] * 5 + [4] * 15  # 5 of 20 failed
    effort = plan.effort_from([], [], grades)
    assert effort.fail_share == 0.25
    assert plan.effort_from([], [], grades[:-1]).fail_share is None  # too few


def test_a_review_costs_more_for_a_learner_who_fails_more():
    unknown = plan.Effort(60, 20)
    assert unknown.review_cost == plan.Effort(60, 20, 0.14).review_cost
    costs = [plan.Effort(60, 20, f).review_cost for f in (0.0, 0.1, 0.3)]
    assert costs == sorted(costs) and costs[0] == 20 * 1.6
    assert unknown.new_cost == 60
    # A card already introduced has its first days' failures behind it.
    assert unknown.seen_cost < unknown.review_cost


def test_failing_more_needs_more_minutes():
    interview = plan.set_interview(day(30), today=TODAY, minutes_per_day=20)
    cards = [Card(id=i, level=1) for i in range(160)]
    needs = [
        plan.feasibility(
            interview, TODAY, cards, default=SCHED, effort=plan.Effort(60, 20, f)
        ).minutes_needed
        for f in (0.05, 0.3)
    ]
    assert needs[0] < needs[1]


def test_slower_answers_need_more_minutes():
    interview = plan.set_interview(day(30), today=TODAY)
    cards = [Card(id=i, level=1) for i in range(100)]
    fast = plan.feasibility(
        interview, TODAY, cards, default=SCHED, effort=plan.Effort(30, 10)
    )
    slow = plan.feasibility(
        interview, TODAY, cards, default=SCHED, effort=plan.Effort(90, 40)
    )
    assert slow.minutes_needed > fast.minutes_needed


def test_readiness_per_level_and_what_happens_if_you_stop():
    interview = plan.set_interview(day(20), today=TODAY)
    cards = [
        seen(1, interval=2, due=0, last=-2, level=1),
        seen(2, interval=40, due=30, last=-1, level=2),
        Card(id=3, level=3),
    ]
    readiness = plan.forecast(interview, TODAY, cards, default=SCHED)
    assert set(readiness.by_level) == {1, 2, 3}
    assert readiness.overall >= plan.TARGET_RECALL
    assert readiness.if_you_stop < readiness.overall
    # Uncovered new cards count as forgotten.
    half = plan.forecast(interview, TODAY, cards, default=SCHED, coverage=0.0)
    assert half.by_level[3] == 0.0


def test_readiness_is_computed_with_the_schedulers_own_recall():
    interview = plan.set_interview(day(10), today=TODAY)
    card = seen(1, interval=400, due=300, last=-1)
    readiness = plan.forecast(interview, day(9), [card], default=SCHED)
    assert readiness.if_you_stop == pytest.approx(
        SCHED.recall_probability(card.state, day(10), reviewed_on=day(-1))
    )


# Breaks ---------------------------------------------------------------------


def test_a_planned_break_moves_nothing_into_the_days_away():
    cards = [seen(i, interval=5 + i % 20, due=3 + i % 10, last=-2) for i in range(60)]
    away = (day(5), day(11))
    moves = plan.before_break(cards, today=TODAY, away_from=away[0], away_to=away[1])
    due_away = {c.id for c in cards if away[0] <= c.due_on <= away[1]}
    assert set(moves) == due_away
    assert all(not away[0] <= d <= away[1] for d in moves.values())
    before = [d for d in moves.values() if d < away[0]]
    after = [d for d in moves.values() if d > away[1]]
    assert before and after
    counts = Counter(moves.values())
    per_before = [counts[d] for d in {*before}]
    per_after = [counts[d] for d in {*after}]
    # Even within each side; a day before takes a tenth of a day after's
    # share (BEFORE_WEIGHT: the days before also get the answers given on
    # them that would fall due while away).
    assert max(per_before) - min(per_before) <= 1
    assert max(per_after) - min(per_after) <= 1
    share = len(before) / 5 / (len(after) / 7)
    assert abs(share - BEFORE_WEIGHT) < 0.25
    # 42 cards due away: a tenth of a day's share on each of the 5 days
    # before is 3 cards in all (6 at a fifth), the other 39 on the 7 days after.
    assert (len(due_away), len(before)) == (42, 3)


def test_the_cards_most_hurt_by_waiting_go_before_the_break():
    fragile = seen(1, interval=1, due=3, last=2)  # short interval: waiting costs
    sturdy = seen(2, interval=200, due=3, last=-197)
    moves = plan.before_break(
        [sturdy, fragile], today=TODAY, away_from=day(3), away_to=day(9)
    )
    assert moves[1] < day(3) < day(9) < moves[2]


def test_a_break_starting_today_goes_after_it():
    cards = [seen(1, due=0), seen(2, due=2)]
    moves = plan.before_break(cards, today=TODAY, away_from=TODAY, away_to=day(3))
    assert all(d > day(3) for d in moves.values())


def _due_today(cid: int, name: str, *, at_least: int) -> Card:
    sched = scheduling.get(name)
    state = sched.initial_state()
    while sched.interval_days(state) < at_least:
        state = sched.next_state(state, 4, elapsed_days=sched.interval_days(state))
    last = TODAY - timedelta(days=sched.interval_days(state))
    return Card(
        id=cid, level=1, scheduler=sched, state=state, due_on=TODAY, reviewed_on=last
    )


@pytest.mark.parametrize("name", ["sm2", "fsrs"])
def test_the_day_a_break_is_entered_sheds_its_own_cards_over_the_usual_day(name):
    cards = [_due_today(i, name, at_least=10) for i in range(10)]
    kept = _due_today(99, name, at_least=1)  # a next-day review cannot wait
    kept = Card(
        id=99,
        level=1,
        scheduler=kept.scheduler,
        state=kept.scheduler.next_state(kept.state, 1, elapsed_days=0),
        due_on=TODAY,
        reviewed_on=day(-1),
    )
    window = {"today": TODAY, "away_from": day(4), "away_to": day(8)}
    assert plan.before_break([*cards, kept], **window) == {}
    moves = plan.before_break([*cards, kept], **window, usual=2)
    limit = math.ceil(ENTRY_LIMIT * 2)
    assert len(moves) == 11 - limit and 99 not in moves
    assert set(moves.values()) <= {day(1), day(2), day(3)}
    assert max(Counter(moves.values()).values()) <= limit
    by_id = {c.id: c for c in cards}
    assert all(by_id[i].recall_on(d) >= DEFER_FLOOR for i, d in moves.items())
    # A usual day as heavy as today moves nothing.
    assert plan.before_break([*cards, kept], **window, usual=11 / ENTRY_LIMIT) == {}


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(-1, 3, "starts today or later"), (4, 3, "before the first"), (0, 90, "90")],
)
def test_bad_breaks_are_refused(start, end, message):
    with pytest.raises(plan.PlanError, match=message):
        plan.validate_break(today=TODAY, away_from=day(start), away_to=day(end))


def test_a_backlog_is_offered_only_above_the_usual_load():
    assert plan.backlog_offer(due=25, usual=20) is None
    offer = plan.backlog_offer(due=300, usual=20)
    # Each day filled to 70% of the usual day: answering brings some back.
    assert (offer.days, offer.per_day) == (22, 14)
    assert "300 cards are due" in offer.sentence


@given(due=st.integers(30, 5000), usual=st.floats(1, 200))
def test_a_backlog_offer_stays_under_the_usual_day_and_within_the_limit(due, usual):
    offer = plan.backlog_offer(due=due, usual=usual)
    if offer is None:
        assert due <= 1.5 * max(1, round(usual))
        return
    assert 1 <= offer.days <= plan.breaks.MAX_BREAK_DAYS
    assert offer.per_day * offer.days >= due
    if offer.days < plan.breaks.MAX_BREAK_DAYS:
        assert offer.per_day <= math.ceil(offer.usual * plan.breaks.BACKLOG_HEADROOM)


@given(
    n=st.integers(0, 300),
    days=st.integers(1, 30),
    gaps=st.lists(st.integers(1, 60), min_size=300, max_size=300),
)
def test_spreading_a_backlog_loses_nothing_and_takes_the_most_at_risk_first(
    n, days, gaps
):
    cards = [
        seen(i, interval=gaps[i], due=-(i % 9), last=-(i % 9) - gaps[i])
        for i in range(n)
    ]
    moves = plan.spread_backlog(cards, today=TODAY, days=days)
    assert all(TODAY < d < day(days) for d in moves.values())
    kept = [c for c in cards if c.id not in moves]
    per_day = Counter(moves.values())
    share = -(-n // days) if n else 0
    assert len(kept) <= share and all(v <= share for v in per_day.values())
    if kept and moves:
        worst_moved = min(c.recall_on(TODAY) for c in cards if c.id in moves)
        assert max(c.recall_on(TODAY) for c in kept) <= worst_moved


def test_an_answer_before_a_break_is_never_due_while_away():
    away = frozenset(day(d) for d in range(5, 12))
    for interval in range(1, 20):
        cap = plan.away_cap(TODAY, interval=interval, away=away)
        due = TODAY + timedelta(days=cap or interval)
        assert due not in away
        assert cap is None or 1 <= cap < interval or interval < cap
    # Spread over the days before it, the least loaded first (the days after
    # the break as full as the fullest before it).
    load = {day(4): 9, day(3): 9, day(2): 1, day(1): 5}
    load |= {day(d): 9 for d in range(12, 19)}
    assert plan.away_cap(TODAY, interval=6, away=away, load=load) == 2


def test_an_answer_on_the_eve_of_a_break_goes_after_it_when_it_can_wait():
    away = frozenset(day(d) for d in range(1, 4))
    # Due on day 2, no day before the break left: after it, up to STRETCH x 2.
    assert plan.away_cap(TODAY, interval=2, away=away) == 4
    # A next-day review cannot wait 4 days: left for the day back.
    assert plan.away_cap(TODAY, interval=1, away=away) is None


def test_an_early_answer_before_a_break_leaves_the_last_days_for_later_ones():
    away = frozenset(day(d) for d in range(8, 15))
    # Days 1..7 equally loaded: the answer takes the first, since answers on
    # day 6 can only go to day 7 (the days after the break as full).
    load = {day(d): 10 for d in [*range(1, 8), *range(15, 22)]}
    assert plan.away_cap(TODAY, interval=9, away=away, load=load) == 1
    # A lighter day wins, but the last one is kept for the answers that can
    # only go there, even when empty.
    assert plan.away_cap(TODAY, interval=9, away=away, load=load | {day(4): 0}) == 4
    assert plan.away_cap(TODAY, interval=9, away=away, load=load | {day(7): 0}) == 1


def test_an_answer_goes_after_the_break_when_the_days_before_are_fuller():
    away = frozenset(day(d) for d in range(8, 15))
    load = {day(d): 20 for d in range(1, 8)} | {day(d): 5 for d in range(15, 22)}
    # Due on day 9, after the break no later than day 18 (STRETCH x 9), and
    # as late as that allows: the first days back keep a reserve (AFTER_RESERVE)
    # for the answers given on them.
    assert STRETCH * 9 >= 18 > STRETCH * 9 - 1
    assert plan.away_cap(TODAY, interval=9, away=away, load=load) == 18
    # A short interval cannot stretch past the break: it is capped before it.
    away = frozenset(day(d) for d in range(3, 10))
    load = {day(1): 50, day(2): 50}
    assert plan.away_cap(TODAY, interval=3, away=away, load=load) in {1, 2}


@given(
    today_n=st.integers(0, 11),
    interval=st.integers(1, 40),
    loads=st.dictionaries(st.integers(0, 30), st.integers(0, 60), max_size=20),
)
def test_an_away_cap_never_lands_while_away(today_n, interval, loads):
    away = frozenset(day(d) for d in range(12, 19))
    today = day(today_n)
    cap = plan.away_cap(
        today, interval=interval, away=away, load={day(k): v for k, v in loads.items()}
    )
    if cap is None:
        # Only when the card is not due while away, or due on the day back.
        assert today + timedelta(days=interval) not in away or today_n == 11
        return
    due = today + timedelta(days=cap)
    assert due not in away and cap != interval
    # Shortened to a day before the break, or after it, within as many days
    # as it lasts and STRETCH x the interval.
    assert 1 <= cap < interval or (
        day(18) < due <= day(25) and cap <= STRETCH * interval
    )

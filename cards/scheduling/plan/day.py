"""Each study day of the plan: what to study, in what order, how many new cards.

Pure, over the Scheduler protocol (see core.py for the shape of a run-up).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from cards.scheduling.base import Scheduler
from cards.scheduling.plan.core import (
    BRING_BACK_BELOW,
    Card,
    Interview,
    Phase,
    cap_for,
    days_left,
    new_quota,
    pace_floor,
    phase,
    window_start,
)
from cards.scheduling.plan.forecast import Effort
from cards.scheduling.plan.projection import project

# The projection answers Good every time; real answers fail now and then and
# bring cards back sooner (calibrated on make plan-sim).
LOAD_ALLOWANCE = 1.3


def _work(
    interview: Interview, today: date, chosen: list[Card], *, default: Scheduler
) -> tuple[int, int, int]:
    """The work left until the day, projected: (reviews of the cards already
    introduced, new cards left, answers a new card introduced today gets)."""
    fresh = sum(c.is_new for c in chosen)
    reviews = sum(
        project(
            interview,
            card.scheduler,
            state=card.state,
            reviewed_on=card.reviewed_on,
            due_on=card.due_on,
            today=today,
        ).reviews
        for card in chosen
        if not card.is_new
    )
    per_new = 0
    if fresh:
        per_new = project(
            interview, default, state=None, reviewed_on=None, due_on=today, today=today
        ).reviews
    return reviews, fresh, per_new


def target_load(
    interview: Interview, today: date, chosen: list[Card], *, default: Scheduler
) -> float:
    """The run-up's even share (cards a day) of the work left until the day:
    every introduced card's projected reviews, and a new card's for each one
    left (as if introduced today)."""
    left = days_left(interview, today)
    if left <= 0:
        return 0.0
    reviews, fresh, per_new = _work(interview, today, chosen, default=default)
    return (reviews + fresh * per_new) * LOAD_ALLOWANCE / left


def room_for_new(
    interview: Interview,
    today: date,
    chosen: list[Card],
    *,
    default: Scheduler,
    due_today: int,
    effort: Effort | None = None,
) -> int:
    """New cards that fit today under the run-up's even share of the work left.

    Without the learner's answer times the share is counted in cards
    (`target_load`). With them it is counted in seconds: a new card costs
    about twice a review, so an even count of cards is an uneven day in
    minutes (front-loaded new cards made the first days twice the mean); an
    even share of seconds keeps every day near the minutes the plan needs.
    """
    left = days_left(interview, today)
    if left <= 0:
        return 0
    if effort is None:
        share = target_load(interview, today, chosen, default=default)
        return math.floor(share - due_today + 0.5)
    reviews, fresh, per_new = _work(interview, today, chosen, default=default)
    review, first = effort.review_cost, effort.new_cost
    work = reviews * effort.seen_cost + fresh * (first + max(0, per_new - 1) * review)
    spare = work / left - due_today * effort.seen_cost
    return math.floor(spare / first + 0.5)


@dataclass(frozen=True)
class DayPlan:
    """What the plan asks of one study day."""

    today: date
    phase: Phase
    days_left: int
    new: int  # new cards to introduce today (overrides the daily new limit)
    order: tuple[int, ...]  # ids to study today, in order (cram: everything)
    brought_forward: tuple[int, ...]  # ids not due today that the plan brings in
    held: int  # chosen cards not yet introduced, left for later days
    notes: tuple[str, ...]
    interview: Interview = field(repr=False, compare=False)
    # Today's new cards come before the due reviews (is_behind).
    new_first: bool = False

    def cap_for(
        self,
        interval: int,
        *,
        load: Mapping[date, int] | None = None,
        away: frozenset[date] = frozenset(),
    ) -> int | None:
        return cap_for(
            self.interview, self.today, interval=interval, load=load, away=away
        )


def is_behind(interview: Interview, today: date, *, remaining: int) -> bool:
    """Whether today's new cards go before the due reviews: in the run-up, when
    the pace floor asks a whole card a day or more (as many cards left as days
    to introduce them), except on the run-up's last day.

    A learner whose minutes run out takes the day's list in order; a review
    left for tomorrow costs a little recall, a question never introduced
    counts nothing on the day. Simulated (160 questions, 60 days, 10 minutes,
    seeds 17-19): learners called feasible who fell under 90% had left 6-11
    questions never introduced; with new cards first when behind, none of
    them fell under 90%. On the run-up's last day the reviews of the cards
    introduced the day before come first (10 questions in 3 days at 20
    minutes: new first there too left 3 of 72 learners under 90%, against 0).
    """
    if remaining <= 0 or phase(interview, today) is not Phase.RUN_UP:
        return False
    if (window_start(interview) - today).days <= 1:
        return False
    return pace_floor(interview, today, remaining=remaining) >= 1 - 1e-9


def _at_risk_first(cards: Iterable[Card], on: date) -> list[Card]:
    return sorted(cards, key=lambda c: (c.recall_on(on), c.id))


def bring_back(interview: Interview, today: date, cards: Iterable[Card]) -> list[Card]:
    """Final window: today's share of the cards to bring back before the day.

    Work left in the window = cards due today, cards due later in the window,
    and cards whose predicted recall on the day is below BRING_BACK_BELOW
    (also when answered earlier in the window: a card answered 14 days out
    with a 15-day interval is predicted at 90% and comes back once more; the
    retention aimed at rises as the day nears). Today takes an even share of
    it; what it brings forward is the lowest predicted recall first.
    """
    left = max(1, days_left(interview, today))
    due_today, later = 0, []
    for card in cards:
        if card.is_new or not interview.scope.includes(card):
            continue
        if card.due_on is not None and card.due_on <= today:
            due_today += 1
        elif (
            card.due_on is not None
            and card.due_on < interview.on
            or (
                card.reviewed_on is not None
                and card.reviewed_on < today
                and card.recall_on(interview.on) < BRING_BACK_BELOW
            )
        ):
            later.append(card)
    share = math.ceil((due_today + len(later)) / left)
    return _at_risk_first(later, interview.on)[: max(0, share - due_today)]


def plan_day(
    interview: Interview,
    today: date,
    cards: Iterable[Card],
    *,
    default: Scheduler,
    new_limit: int | None = None,
    effort: Effort | None = None,
) -> DayPlan:
    """Today's plan over the learner's cards (every active question, started or not).

    `default` is the scheduler a new card starts with; `new_limit` is the
    learner's own daily new-card limit: the plan's pace
    overrides it, and a note says so. `effort` (the learner's answer times)
    evens the days out in minutes rather than in cards.
    """
    cards = list(cards)
    chosen = [c for c in cards if interview.scope.includes(c)]
    now = phase(interview, today)
    left = days_left(interview, today)
    fresh = [c for c in chosen if c.is_new]
    due = [c for c in chosen if not c.is_new and c.due_on <= today]
    new = new_quota(
        interview,
        today,
        remaining=len(fresh),
        room=room_for_new(
            interview,
            today,
            chosen,
            default=default,
            due_today=len(due),
            effort=effort,
        ),
    )
    notes: list[str] = []
    forward: list[Card] = []
    order: list[Card] = []
    if now is Phase.CRAM:
        # Everything once, most at risk first (a new card is the most at risk).
        order = _at_risk_first(chosen, interview.on)
        forward = [c for c in order if not c.is_new and c.due_on > today]
        notes.append(
            "Your interview is "
            + ("today" if left == 0 else "tomorrow")
            + ": every chosen question once, the ones you are most likely to "
            "forget first."
        )
    elif now is Phase.FINAL:
        forward = bring_back(interview, today, chosen)
        order = _at_risk_first(due, interview.on) + forward
        notes.append(
            f"Final stretch: {len(forward)} question{'' if len(forward) == 1 else 's'}"
            " brought back today, lowest predicted recall first."
        )
    elif now is Phase.RUN_UP:
        order = _at_risk_first(due, interview.on)
    if now is not Phase.AFTER and new_limit is not None and new != new_limit:
        if new > new_limit:
            notes.append(
                f"The plan introduces {new} new question{'' if new == 1 else 's'} "
                f"today, more than your daily limit of {new_limit}, so that every "
                "chosen question is seen in time."
            )
        elif fresh:
            notes.append(
                f"The plan introduces {new} new question{'' if new == 1 else 's'} "
                f"today instead of your daily limit of {new_limit}, to keep an "
                "even pace."
            )
    new_first = is_behind(interview, today, remaining=len(fresh))
    if now is not Phase.CRAM:
        today_new = _at_risk_first(fresh, interview.on)[:new]
        order = today_new + order if new_first else order + today_new
    return DayPlan(
        today=today,
        phase=now,
        days_left=left,
        new=new,
        order=tuple(c.id for c in order),
        brought_forward=tuple(c.id for c in forward),
        held=max(0, len(fresh) - new),
        notes=tuple(notes),
        interview=interview,
        new_first=new_first,
    )

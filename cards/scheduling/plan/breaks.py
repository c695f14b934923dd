"""Breaks and backlogs: where due cards go around days away. Pure.

Both return the new due day of each card they move (id -> date) and move
nothing else; the service writes them only when the learner asks (a planned
break, an accepted backlog offer), so nothing is postponed silently.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from cards.scheduling.plan.core import Card, PlanError
from cards.scheduling.plan.day import DEFER_FLOOR

MAX_BREAK_DAYS = 90
# A backlog above this multiple of the usual day's load is offered a spread;
# fewer than MIN_BACKLOG due cards are never a wall worth spreading.
BACKLOG_FACTOR = 1.5
MIN_BACKLOG = 30
# The offered spread fills each day to this share of the usual day: the answers
# given while spreading bring some cards back within the same days (a card
# forgotten after a break is due the next day and, SM-2 restarting at one day,
# the day after; the most at risk come first, so half of the first day's cards
# can fail). Simulated (7 days away, 1,728 learners, seeds 17-88): at 0.85,
# 24 runs had a day over 1.5x the usual day (worst 1.81x); at 0.75, 3; at 0.7,
# 1 (1.54x), for a spread 1 day longer on average (6.2 days against 5.2).
BACKLOG_HEADROOM = 0.7
# A card that would fall due while away comes on one of this many days before.
AWAY_CAP_DAYS = 7
# How much of the last days before a break an answer leaves free: a day d days
# after the first allowed one counts RESERVE * mean load * d / days as taken.
# Answers on the eve of the eve have only the last day left, so earlier
# answers keep off it (simulated: the planned break's worst day fell from
# 1.97x to 1.53x the usual day; at 1.5 with BEFORE_WEIGHT, below).
RESERVE = 1.5
# The cards due while away are shared between the days before the break and
# as many days after it, a day before counting as this share of a day after:
# the days before also take, later, the answers given on them that would fall
# due while away (away_cap), which the days after never get. Simulated (7 days
# away, announced a week ahead): at an even share the last days before the
# break rose to 1.5-1.7x the usual day in 12 of 144 runs (seeds 17-22); over
# 1,728 runs (plan-sim --breaks only --runs 1728), 66 had a day over 1.5x at
# half a day's share, 35 at a fifth, 21 at a tenth (learners 30000-31727: 36
# at a fifth, 20 at a tenth; the days after the break stay lighter than the
# last days before it, and the bank's simulated recall at the end is the
# same, 95.1% over 300 learners either way).
BEFORE_WEIGHT = 0.1
# An answer before a break whose interval ends while away may fall due after
# the break instead of before it (away_cap), on one of as many days after it
# as it lasts, no later than STRETCH times its interval, when that day is
# lighter than the best day before, the first days back counting a reserve
# of AFTER_RESERVE mean days after the break (they take the answers given on
# them, and the failures of the break's own cards). The days before take, on
# the last two, every answer given there (the cap only shortens), so they
# climbed to 1.5-1.9x the usual day in 21 of 1,728 runs. Simulated
# (docs/PLAN.md, session 19): 1,707 -> 1,726 of 1,728 within 1.5x on seed 17,
# 1,708 -> 1,726 on seed 30, 1,697 -> 1,721 on seed 41; the bank's simulated
# recall at the end 95.01% -> 95.11% (seed 17). At 1.3x the interval with no
# reserve after the break, the first day back filled instead (574 of 600).
STRETCH = 2.0
AFTER_RESERVE = 1.0
# The day a break is entered is a day before it: when the cards due on it by
# their own intervals exceed ENTRY_LIMIT times the usual day, the least hurt
# by waiting go to lighter days before the break, while their predicted
# recall there stays at or above DEFER_FLOOR (the day's limit's floor). The
# usual day is the mean of the last ENTRY_USUAL_DAYS study days (the last
# fortnight still holds the days of new cards, once the bank is introduced).
# Simulated (7 days away, entered a week ahead; docs/PLAN.md, session 20): the
# runs over 1.5x the usual day all peaked on the day the break is entered,
# 2 / 2 / 7 of 1,728 on seeds 17 / 30 / 41, none with it; the bank's recall
# at the end and the answers given are unchanged (the cards only wait).
ENTRY_LIMIT = 1.2
ENTRY_USUAL_DAYS = 7


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _least_loaded(days: list[date], load: dict[date, int]) -> date:
    return min(days, key=lambda d: (load[d], d.toordinal()))


def validate_break(*, today: date, away_from: date, away_to: date) -> None:
    if away_to < away_from:
        raise PlanError("The last day away is before the first.")
    if away_from < today:
        raise PlanError("A break starts today or later.")
    if (away_to - away_from).days + 1 > MAX_BREAK_DAYS:
        raise PlanError(f"A break is at most {MAX_BREAK_DAYS} days.")


def before_break(
    cards: Iterable[Card],
    *,
    today: date,
    away_from: date,
    away_to: date,
    load: Mapping[date, int] | None = None,
    usual: float | None = None,
) -> dict[int, date]:
    """Move every card due in the days away to the days before and after.

    The days before the break (today up to the day before it) and as many
    days after it as it lasts share the cards with what is already due on
    them, a day before taking BEFORE_WEIGHT of a day after's share. The cards most sensitive to waiting (the largest loss of recall
    between their due day and the day after the break) go before it, each to
    the least-loaded day; the others after it. Given the usual day's load,
    today's own due cards over ENTRY_LIMIT of it wait for lighter days before
    the break (`_spread_entry`).
    """
    validate_break(today=today, away_from=away_from, away_to=away_to)
    length = (away_to - away_from).days + 1
    before = _days(today, away_from - timedelta(days=1)) if away_from > today else []
    after = _days(away_to + timedelta(days=1), away_to + timedelta(days=length))
    back = away_to + timedelta(days=1)
    moving = [
        c
        for c in cards
        if not c.is_new and c.due_on is not None and away_from <= c.due_on <= away_to
    ]
    moving.sort(key=lambda c: (-(c.recall_on(c.due_on) - c.recall_on(back)), c.id))
    counts = {d: (load or {}).get(d, 0) for d in before + after}
    share = BEFORE_WEIGHT * len(before) / (BEFORE_WEIGHT * len(before) + len(after))
    early = math.ceil(len(moving) * share) if before else 0
    moves: dict[int, date] = {}
    for i, card in enumerate(moving):
        day = (
            _least_loaded(before, counts) if i < early else _least_loaded(after, counts)
        )
        counts[day] += 1
        moves[card.id] = day
    if usual is not None and len(before) > 1:
        moves |= _spread_entry(
            cards,
            today=today,
            before=before,
            counts=counts,
            limit=math.ceil(ENTRY_LIMIT * usual),
        )
    return moves


def _spread_entry(
    cards: Iterable[Card],
    *,
    today: date,
    before: list[date],
    counts: dict[date, int],
    limit: int,
) -> dict[int, date]:
    """Today's due cards over `limit` to the days before the break holding
    fewer than `limit`, while their predicted recall there stays at or above
    DEFER_FLOOR: the highest recall on its new day first, to the least-loaded
    day it may reach (ties: the earliest). Only the due day moves."""
    due = [
        c for c in cards if not c.is_new and c.due_on is not None and c.due_on <= today
    ]
    counts[today] = max(counts[today], len(due))
    moves: dict[int, date] = {}
    while counts[today] > limit:
        best: tuple[tuple[float, int], Card, date] | None = None
        for card in due:
            if card.id in moves:
                continue
            room = [
                d
                for d in before[1:]
                if counts[d] < limit and card.recall_on(d) >= DEFER_FLOOR
            ]
            if room:
                to = _least_loaded(room, counts)
                key = (card.recall_on(to), -card.id)
                if best is None or key > best[0]:
                    best = (key, card, to)
        if best is None:
            break
        _, card, to = best
        moves[card.id] = to
        counts[to] += 1
        counts[today] -= 1
    return moves


def away_cap(
    today: date,
    *,
    interval: int,
    away: frozenset[date],
    load: Mapping[date, int] | None = None,
) -> int | None:
    """Where a card answered today goes when its due day is a day away.

    Before the break, on the least-loaded of the AWAY_CAP_DAYS days before it,
    counting a reserve on the later days that later answers cannot avoid
    (RESERVE; ties: the earliest): a cap. Or after it, on one of as many days
    after the break as it lasts, no later than STRETCH times the interval,
    counting a reserve on the first days back (AFTER_RESERVE), when that is
    lighter: more days than the interval, which moves only the due day (the
    answer rule's `later`; the state stays the scheduler's own).
    None when its due day is not a day away, or when neither is possible
    (it is then due on the day back, like the rest of the break's cards).
    """
    due = today + timedelta(days=interval)
    if due not in away:
        return None
    load = load or {}
    start = end = due
    while start - timedelta(days=1) in away:
        start -= timedelta(days=1)
    while end + timedelta(days=1) in away:
        end += timedelta(days=1)
    last = start - timedelta(days=1)
    first = max(today + timedelta(days=1), last - timedelta(days=AWAY_CAP_DAYS - 1))
    options: dict[date, float] = {}
    if last > today:
        days = [d for d in _days(first, last) if d not in away] or [last]
        mean = sum(load.get(d, 0) for d in days) / len(days)
        for d in days:
            options[d] = load.get(d, 0) + RESERVE * mean * (d - first).days / len(days)
    latest = today + timedelta(days=math.floor(interval * STRETCH))
    length = (end - start).days + 1
    after = _days(end + timedelta(days=1), end + timedelta(days=length))
    after_mean = sum(load.get(d, 0) for d in after) / len(after)
    for k, d in enumerate(after):
        if d <= latest and d not in away:
            reserve = AFTER_RESERVE * after_mean * (length - 1 - k) / length
            options[d] = load.get(d, 0) + reserve
    if not options:
        return None
    return (min(options, key=lambda d: (options[d], d.toordinal())) - today).days


@dataclass(frozen=True)
class BacklogOffer:
    due: int
    days: int
    per_day: int
    usual: int

    @property
    def sentence(self) -> str:
        return (
            f"{self.due} cards are due. Spread them over {self.days} days, about "
            f"{self.per_day} a day (your usual day is about {self.usual}), the ones "
            "you are most likely to forget first?"
        )


def backlog_offer(*, due: int, usual: float) -> BacklogOffer | None:
    """An offer to spread `due` cards, when they exceed the usual day's load."""
    usual = max(1, round(usual))
    if due < MIN_BACKLOG or due <= BACKLOG_FACTOR * usual:
        return None
    days = min(MAX_BREAK_DAYS, math.ceil(due / (usual * BACKLOG_HEADROOM)))
    return BacklogOffer(due=due, days=days, per_day=math.ceil(due / days), usual=usual)


def spread_backlog(
    cards: Iterable[Card],
    *,
    today: date,
    days: int,
    load: Mapping[date, int] | None = None,
) -> dict[int, date]:
    """Spread the cards due today or earlier over `days` days from today.

    The most at risk (lowest predicted recall today) stay today; the others
    go in that order to the following days, each day taking an even share of
    the backlog plus what was already due on it.
    """
    if not 1 <= days <= MAX_BREAK_DAYS:
        raise PlanError(f"Spread a backlog over 1 to {MAX_BREAK_DAYS} days.")
    due = [c for c in cards if not c.is_new and c.due_on <= today]
    due.sort(key=lambda c: (c.recall_on(today), c.id))
    span = _days(today, today + timedelta(days=days - 1))
    counts = {d: (load or {}).get(d, 0) for d in span[1:]}
    counts[today] = 0
    per_day = math.ceil((len(due) + sum(counts.values())) / days)
    moves: dict[int, date] = {}
    day_index = 0
    for card in due:
        while day_index < len(span) - 1 and counts[span[day_index]] >= per_day:
            day_index += 1
        day = span[day_index]
        counts[day] += 1
        if day != today:
            moves[card.id] = day
    return moves

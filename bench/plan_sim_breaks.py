"""The break scenario of `make plan-sim`: 7 days away, then back (issue 17).

160 questions, no interview date, new cards at the default 10 a day; after 30
days of study the learner is away 7 days. Three ways back: a wall (everything
due at once), an unplanned break whose backlog is spread as the dashboard
offers, and a break planned a week ahead (nothing due while away). Reported:
the usual load (mean cards a day over the 7 days before the break is planned), the peak
day in the 14 days around it and after, and that peak over the usual load.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from bench import plan_sim
from bench.plan_sim import NEW_LIMIT, Learner, SimCard, _day, normal_order, study
from cards.scheduling import plan

BANK = 160
STUDY_DAYS = 30
AWAY = 7
AFTER = 14
MINUTES = 240  # no time limit to speak of: the wall shows in full
ANNOUNCED = 7  # a planned break is entered this many days ahead
# The usual load: the 7 days before the break is planned (every card seen by then).
USUAL_DAYS = range(STUDY_DAYS - ANNOUNCED - 7, STUDY_DAYS - ANNOUNCED)


@dataclass(frozen=True)
class BreakRun:
    usual: float
    peak_around: int  # the days before and after the break (planned) or after it
    spread_days: int
    loads: tuple[int, ...] = ()


def _views(cards: dict[int, SimCard]) -> list[plan.Card]:
    return [c.view() for c in cards.values()]


def run(seed: int, mode: str) -> BreakRun:
    learner = Learner.make(seed, MINUTES)
    cards = {i: SimCard(i, 1 + i % 3) for i in range(BANK)}
    loads: dict[date, int] = {}
    away_from, away_to = _day(STUDY_DAYS), _day(STUDY_DAYS + AWAY - 1)
    spread_days = 0
    total = STUDY_DAYS + AWAY + AFTER
    for i in range(total):
        today = _day(i)
        if mode == "planned" and i == STUDY_DAYS - ANNOUNCED:
            moves = plan.before_break(
                _views(cards),
                today=today,
                away_from=away_from,
                away_to=away_to,
                load=plan_sim._load(list(cards.values())),
                usual=statistics.fmean(
                    loads[_day(d)] for d in range(i - plan.breaks.ENTRY_USUAL_DAYS, i)
                ),
            )
            for cid, day in moves.items():
                cards[cid].due = day
        if away_from <= today <= away_to:
            loads[today] = 0
            continue
        if mode == "spread" and today == away_to.fromordinal(away_to.toordinal() + 1):
            due = sum(1 for c in cards.values() if c.due and c.due <= today)
            usual = statistics.fmean(loads[_day(d)] for d in USUAL_DAYS)
            offer = plan.backlog_offer(due=due, usual=usual)
            if offer is not None:
                spread_days = offer.days
                moves = plan.spread_backlog(
                    _views(cards),
                    today=today,
                    days=offer.days,
                    load=plan_sim._load(list(cards.values())),
                )
                for cid, day in moves.items():
                    cards[cid].due = day
        capper = None
        if mode == "planned" and i >= STUDY_DAYS - ANNOUNCED:
            away = frozenset(
                plan_sim._day(d) for d in range(STUDY_DAYS, STUDY_DAYS + AWAY)
            )

            def capper(interval, load, today=today, away=away):
                return plan.away_cap(today, interval=interval, away=away, load=load)

        order = normal_order(cards, today, NEW_LIMIT)
        loads[today] = study(learner, cards, order, today, capper=capper)
    usual = statistics.fmean(loads[_day(d)] for d in USUAL_DAYS)
    first = STUDY_DAYS - ANNOUNCED if mode == "planned" else STUDY_DAYS + AWAY
    around = [loads[_day(d)] for d in range(first, total) if loads[_day(d)]]
    return BreakRun(usual, max(around), spread_days, tuple(loads.values()))


def table(runs: int, seed: int) -> list[str]:
    lines = [
        "| way back | usual cards/day | peak day around the break | peak / usual | "
        "within 1.5x | spread over |",
        "|---|---|---|---|---|---|",
    ]
    names = {
        "wall": "unplanned, no spread (a wall)",
        "spread": "unplanned, backlog spread as offered",
        "planned": "planned a week ahead",
    }
    for mode, name in names.items():
        results = [run(seed * 1000 + k, mode) for k in range(runs)]
        ratios = [r.peak_around / r.usual for r in results]
        within = sum(x <= 1.5 for x in ratios)
        spread = [r.spread_days for r in results if r.spread_days]
        lines.append(
            f"| {name} | {statistics.fmean(r.usual for r in results):.1f} | "
            f"{max(r.peak_around for r in results)} | "
            f"{min(ratios):.2f}–{max(ratios):.2f} | {within}/{runs} | "
            + (f"{min(spread)}–{max(spread)} days |" if spread else "– |")
        )
    return lines

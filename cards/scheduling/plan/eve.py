"""The feasibility check's day-by-day part: what is left to the run-up's last day.

Pure, standard library only. A card introduced on the run-up's last day is
reviewed once before the interview (its next-day review, in the final
window), so its recall on the day rests on two answers a day apart, which a
learner who forgets fast loses. The check asks the learner's minutes to
introduce all but EVE_SHARE of the chosen questions before that day, whole
cards day by day: minutes are not saved from one day for the next, so a pooled
budget over the whole run-up can look enough when day one is not. This bites
on short runways (10 questions in 3 days: the run-up is days 0 and 1).
"""

from __future__ import annotations

import math
from datetime import date

from cards.scheduling.plan.core import Interview, Phase, days_left, phase, window_start

# Simulated (10 questions, 3 days, 10 minutes, 72 learners): of those who left
# 3 or more of 10 to the last run-up day, 4 of 37 stayed under 90% on the day;
# of the others, none.
EVE_SHARE = 0.25


def early_days(interview: Interview, today: date) -> int:
    """Study days from today before the run-up's last day (0 outside the
    run-up, or when today is its only day: nothing can come earlier)."""
    if phase(interview, today) is not Phase.RUN_UP:
        return 0
    return max(0, (window_start(interview) - today).days - 1)


def _allowed(chosen: int) -> int:
    return math.floor(EVE_SHARE * chosen + 1e-9)


def reach(
    interview: Interview,
    today: date,
    *,
    chosen: int,
    fresh: int,
    seen: float,
    first_day_cost: float,
    minutes: int,
) -> int:
    """New cards the minutes can introduce in time: whole cards a day before
    the run-up's last day (after the even share of the `seen` seconds of
    reviews of the cards already started), and EVE_SHARE of the chosen ones
    on it."""
    per_day = minutes * 60 - seen / max(1, days_left(interview, today))
    a_day = math.floor(max(0.0, per_day) / first_day_cost + 1e-9)
    return min(fresh, a_day * early_days(interview, today) + _allowed(chosen))


def fits(
    interview: Interview,
    today: date,
    *,
    chosen: int,
    fresh: int,
    seen: float,
    first_day_cost: float,
    minutes: int,
) -> bool:
    """Whether the minutes leave at most EVE_SHARE of the chosen questions to
    the run-up's last day (always, when there is no earlier day)."""
    if fresh <= _allowed(chosen) or early_days(interview, today) == 0:
        return True
    args = {"chosen": chosen, "fresh": fresh, "seen": seen}
    return (
        reach(interview, today, first_day_cost=first_day_cost, minutes=minutes, **args)
        >= fresh
    )


def minutes_needed(
    interview: Interview,
    today: date,
    *,
    chosen: int,
    fresh: int,
    seen: float,
    first_day_cost: float,
) -> float:
    """Minutes a day that `fits` needs (0: it asks nothing)."""
    early = early_days(interview, today)
    if fresh <= _allowed(chosen) or early == 0:
        return 0.0
    cards = math.ceil((fresh - _allowed(chosen)) / early)
    return (cards * first_day_cost + seen / days_left(interview, today)) / 60

"""Readiness on the day and feasibility in minutes a day: pure, over the protocol.

A card's future is projected with the scheduler's own `next_state`/`due_on`
(answered Good when due, capped as the plan caps) and its recall on the day is
the scheduler's own `recall_probability`: the plan has no forgetting model of
its own.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from cards.scheduling.base import PASSING_GRADE, Scheduler
from cards.scheduling.plan import eve
from cards.scheduling.plan.core import (
    MAX_RUNWAY_DAYS,
    Card,
    Interview,
    days_left,
    new_quota,
)
from cards.scheduling.plan.projection import project

# Answer durations when the learner has too few of their own (seconds).
DEFAULT_NEW_SECONDS = 60.0
DEFAULT_REVIEW_SECONDS = 25.0
MIN_SAMPLES = 5
# The projection answers Good every time. Real answers fail now and then: a
# failure is re-drilled the same day and restarts the card (SM-2: 1 day, 1 day,
# 6 days...), and a Hard answer is re-drilled too. A projected review costs
# review_seconds * (REVIEW_ALLOWANCE + PER_FAILURE * share of reviews failed).
# Fitted on `make plan-sim` (24 FSRS-6 learners, 160 and 500 questions, 14 and
# 60 days, unlimited time: minutes spent were within -7%..+8% of the estimate).
REVIEW_ALLOWANCE = 1.6
PER_FAILURE = 6.0
# Until the learner has MIN_FAIL_SAMPLES reviews of their own, assume this
# share fails: above the 10% SM-2's intervals aim at, so that a plan called
# feasible on day one holds for most learners (simulated: 8-18%).
DEFAULT_FAIL_SHARE = 0.14
# The same for the reviews of cards already introduced (fitted the same way,
# checking the minutes a day a week and a month into the run-up).
SEEN_ALLOWANCE = 1.1
SEEN_PER_FAILURE = 4.0
MIN_FAIL_SAMPLES = 20
# A never-seen question is failed about half the time and re-drilled the same
# day: its first day costs new_seconds + FIRST_DAY_REDRILLS * review_seconds
# (fitted on make plan-sim: 0.7 re-drills a new card on its first day).
FIRST_DAY_REDRILLS = 0.7


@dataclass(frozen=True)
class Effort:
    """Seconds a new card and a review take this learner (medians), and the
    share of their reviews they fail (None: not known yet)."""

    new_seconds: float = DEFAULT_NEW_SECONDS
    review_seconds: float = DEFAULT_REVIEW_SECONDS
    fail_share: float | None = None

    @property
    def review_cost(self) -> float:
        """Seconds a projected review costs, failures and re-drills included."""
        fail = DEFAULT_FAIL_SHARE if self.fail_share is None else self.fail_share
        return self.review_seconds * (REVIEW_ALLOWANCE + PER_FAILURE * fail)

    @property
    def seen_cost(self) -> float:
        """Seconds a projected review of a card already introduced costs: less
        than `review_cost`, which also carries the failures of a card's first
        days (a never-seen question is failed about half the time)."""
        fail = DEFAULT_FAIL_SHARE if self.fail_share is None else self.fail_share
        return self.review_seconds * (SEEN_ALLOWANCE + SEEN_PER_FAILURE * fail)

    @property
    def new_cost(self) -> float:
        """Seconds a new card costs on the day it is introduced."""
        return self.new_seconds

    @property
    def first_day_cost(self) -> float:
        """The same with that day's re-drills (a new card is often failed)."""
        return self.new_seconds + FIRST_DAY_REDRILLS * self.review_seconds


def effort_from(
    new_ms: Iterable[int | None],
    review_ms: Iterable[int | None],
    review_grades: Iterable[int] = (),
) -> Effort:
    """The learner's own medians, each falling back to the default below
    MIN_SAMPLES answers, and the share of their reviews failed (grade below
    3) once they have MIN_FAIL_SAMPLES of them."""

    def median(values: Iterable[int | None], default: float) -> float:
        seconds = [v / 1000 for v in values if v]
        return statistics.median(seconds) if len(seconds) >= MIN_SAMPLES else default

    grades = list(review_grades)
    fail = (
        sum(g < PASSING_GRADE for g in grades) / len(grades)
        if len(grades) >= MIN_FAIL_SAMPLES
        else None
    )
    return Effort(
        median(new_ms, DEFAULT_NEW_SECONDS),
        median(review_ms, DEFAULT_REVIEW_SECONDS),
        fail,
    )


def _intro_days(
    interview: Interview, today: date, total: int, fresh: int
) -> list[date]:
    """The days the plan introduces `fresh` new cards, following its own pace."""
    days, day, remaining = [], today, fresh
    while remaining > 0 and day <= interview.on:
        n = min(remaining, new_quota(interview, day, remaining=remaining))
        days += [day] * n
        remaining -= n
        day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class Readiness:
    """Predicted share recalled on the day, if the plan is followed."""

    overall: float
    by_level: Mapping[int, float]
    chosen: int
    if_you_stop: float  # without any more study, from today's memory alone


def forecast(
    interview: Interview,
    today: date,
    cards: Iterable[Card],
    *,
    default: Scheduler,
    coverage: float = 1.0,
) -> Readiness:
    """Readiness over the chosen cards. `coverage` is the share of the new cards
    the learner's minutes a day reach (feasibility); the rest count as forgotten."""
    chosen = [c for c in cards if interview.scope.includes(c)]
    fresh = [c for c in chosen if c.is_new]
    covered = math.floor(len(fresh) * coverage + 1e-9)
    intro = _intro_days(interview, today, len(chosen), covered)
    recall: dict[int, float] = {}
    for card in chosen:
        if card.is_new:
            continue
        recall[card.id] = project(
            interview,
            card.scheduler,
            state=card.state,
            reviewed_on=card.reviewed_on,
            due_on=card.due_on,
            today=today,
        ).recall
    for card, day in zip(fresh, intro, strict=False):
        recall[card.id] = project(
            interview, default, state=None, reviewed_on=None, due_on=day, today=today
        ).recall
    levels: dict[int, list[float]] = {}
    for card in chosen:
        levels.setdefault(card.level, []).append(recall.get(card.id, 0.0))
    n = len(chosen)
    return Readiness(
        overall=sum(recall.values()) / n if n else 1.0,
        by_level={lv: sum(v) / len(v) for lv, v in sorted(levels.items())},
        chosen=n,
        if_you_stop=sum(c.recall_on(interview.on) for c in chosen) / n if n else 1.0,
    )


@dataclass(frozen=True)
class Feasibility:
    minutes_needed: int  # a day, to cover every chosen question (rounded up to 5)
    minutes: int | None  # what the learner said they can give
    coverage: float  # share of the chosen questions those minutes reach
    sentence: str
    # When the minutes do not cover everything, the other ways to make it fit:
    # how many questions those minutes cover, and how many days from today
    # they would need for all of them (None: none within MAX_RUNWAY_DAYS).
    questions_fit: int | None = None
    days_needed: int | None = None

    @property
    def is_feasible(self) -> bool:
        return self.minutes is None or self.coverage >= 1.0


def _round_up(minutes: float, step: int = 5) -> int:
    return max(step, step * math.ceil(minutes / step - 1e-9))


def _costs(
    interview: Interview,
    today: date,
    chosen: list[Card],
    *,
    default: Scheduler,
    effort: Effort,
) -> tuple[float, list[float]]:
    """Seconds until the day: the reviews of the cards already introduced, and
    each new card's whole life (introduced at the plan's pace)."""
    fresh = [c for c in chosen if c.is_new]
    seen = 0.0
    for card in chosen:
        if not card.is_new:
            reviews = project(
                interview,
                card.scheduler,
                state=card.state,
                reviewed_on=card.reviewed_on,
                due_on=card.due_on,
                today=today,
            ).reviews
            seen += reviews * effort.seen_cost
    intro = _intro_days(interview, today, len(chosen), len(fresh))
    per_new = []
    for day in intro:
        reviews = project(
            interview, default, state=None, reviewed_on=None, due_on=day, today=today
        ).reviews
        later = max(0, reviews - 1) * effort.review_cost
        per_new.append(effort.new_cost + later)
    per_new += [effort.new_cost] * (len(fresh) - len(per_new))
    return seen, per_new


def _reached(budget: float, per_new: list[float]) -> int:
    """New cards a budget of seconds covers, the cheapest first."""
    reached, spent = 0, 0.0
    for cost in sorted(per_new):
        if spent + cost > budget:
            break
        spent += cost
        reached += 1
    return reached


def _questions_fit(
    interview: Interview,
    today: date,
    chosen: list[Card],
    *,
    default: Scheduler,
    effort: Effort,
    minutes: int,
    at_most: int,
) -> int:
    """The most chosen questions (those started, and new ones) the minutes
    cover in full when the plan paces only those: fewer new cards spread over
    the same run-up each get more reviews, so this is below the coverage."""
    known = [c for c in chosen if not c.is_new]
    fresh = [c for c in chosen if c.is_new]
    budget = minutes * 60 * max(1, days_left(interview, today))
    low, high = 0, min(len(fresh), at_most)
    while low < high:
        mid = (low + high + 1) // 2
        seen, per_new = _costs(
            interview, today, known + fresh[:mid], default=default, effort=effort
        )
        if _reached(budget - seen, per_new) == mid and eve.fits(
            interview,
            today,
            chosen=len(known) + mid,
            fresh=mid,
            seen=seen,
            first_day_cost=effort.first_day_cost,
            minutes=minutes,
        ):
            low = mid
        else:
            high = mid - 1
    return len(known) + low


def _days_needed(
    interview: Interview,
    today: date,
    chosen: list[Card],
    *,
    default: Scheduler,
    effort: Effort,
    minutes: int,
) -> int | None:
    """The fewest days from today in which `minutes` a day cover every chosen
    question (a later date, or the same date started earlier), searched in
    steps of a quarter so that the dashboard stays quick."""
    days = max(2, days_left(interview, today) + 1)
    while days <= MAX_RUNWAY_DAYS:
        later = Interview(
            on=today + timedelta(days=days),
            set_on=today,
            scope=interview.scope,
            minutes_per_day=minutes,
        )
        seen, per_new = _costs(later, today, chosen, default=default, effort=effort)
        if _reached(minutes * 60 * days - seen, per_new) == len(per_new) and eve.fits(
            later,
            today,
            chosen=len(chosen),
            fresh=len(per_new),
            seen=seen,
            first_day_cost=effort.first_day_cost,
            minutes=minutes,
        ):
            return days
        days = max(days + 1, math.ceil(days * 1.25))
    return None


def feasibility(
    interview: Interview,
    today: date,
    cards: Iterable[Card],
    *,
    default: Scheduler,
    effort: Effort,
) -> Feasibility:
    """Minutes a day the plan needs, what the learner's minutes cover, and,
    when they do not cover everything, what would: more minutes, fewer
    questions (fewer levels), or more days."""
    chosen = [c for c in cards if interview.scope.includes(c)]
    study_days = max(1, days_left(interview, today))
    seen, per_new = _costs(interview, today, chosen, default=default, effort=effort)
    eve_args = {
        "chosen": len(chosen),
        "fresh": len(per_new),
        "seen": seen,
        "first_day_cost": effort.first_day_cost,
    }
    pooled = (seen + sum(per_new)) / 60 / study_days
    needed = (
        _round_up(max(pooled, eve.minutes_needed(interview, today, **eve_args)))
        if chosen
        else 0
    )
    minutes = interview.minutes_per_day
    if minutes is None or not chosen:
        return Feasibility(
            needed, minutes, 1.0, coverage_sentence(minutes, 1.0, needed)
        )
    reached = _reached(minutes * 60 * study_days - seen, per_new)
    if not eve.fits(interview, today, minutes=minutes, **eve_args):
        reached = min(reached, eve.reach(interview, today, minutes=minutes, **eve_args))
    fit = len(chosen) - len(per_new) + reached
    coverage = min(1.0, max(0.0, fit / len(chosen)))
    if coverage >= 1.0:
        return Feasibility(
            needed, minutes, 1.0, coverage_sentence(minutes, 1.0, needed)
        )
    days = _days_needed(
        interview, today, chosen, default=default, effort=effort, minutes=minutes
    )
    fit = _questions_fit(
        interview,
        today,
        chosen,
        default=default,
        effort=effort,
        minutes=minutes,
        at_most=reached,
    )
    sentence = coverage_sentence(minutes, coverage, needed) + alternatives_sentence(
        minutes, fit, days, today
    )
    return Feasibility(needed, minutes, coverage, sentence, fit, days)


def alternatives_sentence(
    minutes: int, questions: int, days: int | None, today: date
) -> str:
    """ " Or, at 15 minutes a day: choose about 110 questions (fewer levels), or
    allow 40 days (an interview on 14 February 2026 or later)."

    Levels are what the plan's form chooses; topics (issue 16) are carried by
    Scope but not yet offered there, so the sentence does not name them."""
    parts = [f"choose about {questions} questions (fewer levels)"]
    if days is not None:
        on = today + timedelta(days=days)
        parts.append(f"allow {days} days (an interview on {on:%-d %B %Y} or later)")
    return f" Or, at {minutes} minutes a day: " + ", or ".join(parts) + "."


def coverage_sentence(minutes: int | None, coverage: float, needed: int) -> str:
    """ "At 15 minutes a day you will cover 70% of the questions; at 25 you will
    cover all of them." """
    if minutes is None:
        return f"The plan needs about {needed} minutes a day."
    if coverage >= 1.0:
        return (
            f"At {minutes} minutes a day you will cover all of the chosen questions "
            f"(the plan needs about {needed})."
        )
    percent = math.floor(coverage * 100)
    return (
        f"At {minutes} minutes a day you will cover {percent}% of the chosen "
        f"questions; at {needed} you will cover all of them."
    )

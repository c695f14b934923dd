"""The answer rule: what kind of answer this is, and what it does to the schedule.

Pure: the standard library and the Scheduler protocol, no Django. The grading
service, the queue, the grade buttons and the benchmark's simulator all ask
`kind_of` and `outcome`, so the rule is written once; docs/ARCHITECTURE.md
states it and tests/review/test_answer.py checks the queue's SQL against it.

| kind      | when                                         | the schedule                      |
|-----------|----------------------------------------------|-----------------------------------|
| new       | no schedule yet (first answer ever)          | next_state from the initial state |
| review    | due (due_on <= today), not re-drilling today | next_state; a failed learned card lapses |
| redrill   | re-drilling today (redrill_on == today)      | logged; the state is left alone   |
| drill     | not due, in a flow off the schedule        | the rule for answers off the schedule |
| mock      | any answer in a mock interview               | the rule for answers off the schedule |
| refused   | not due, in the daily review                 | nothing (ReviewConflict NOT_DUE)  |

New and review answers below the scheduler's re-drill threshold (SM-2: 4)
come back later the same study day; so does a card that the answer leaves in
one of the scheduler's own same-day steps (FSRS's learning and relearning
steps: `later_today_after`). A re-drill answer of such a card takes the next
step (FSRS); otherwise a re-drill leaves the state alone (SM-2 step 7).

The rule for answers off the schedule (drills, mock interviews, the interview
plan): an answer given before the card is due is logged with its flow's kind;
a failure counts as a lapse (if the card was learned) and resets the card
exactly as a due failure would, due after the new interval and with no
same-day re-drill; a success never lengthens the interval or moves the due
date later: the state and due date stay exactly as they were. A card never
answered starts its schedule as a first answer would, without a re-drill.

The plan may shorten an interval (`cap`: the interview plan, or the days
before a planned break) or move the due day past a planned break (`later`);
either way the state stays the scheduler's own, and only the due day moves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Protocol

from cards import scheduling
from cards.review.conflicts import Reason, ReviewConflict
from cards.scheduling.base import PASSING_GRADE, Scheduler


class Flow(StrEnum):
    """Where an answer comes from."""

    REVIEW = "review"  # the daily queue: keeps to the schedule
    DRILL = "drill"  # practice the learner picks ("drill my weakest")
    MOCK = "mock"  # a mock interview


class Kind(StrEnum):
    """What an answer counts as (ReviewLog.kind)."""

    NEW = "new"
    REVIEW = "review"
    REDRILL = "redrill"
    DRILL = "drill"
    MOCK = "mock"


# Flows that may answer a card before it is due, and the kind they log.
OFF_SCHEDULE = {Flow.DRILL: Kind.DRILL, Flow.MOCK: Kind.MOCK}
OFF_SCHEDULE_KINDS = frozenset(OFF_SCHEDULE.values())


class Scheduled(Protocol):
    """What the rule reads of a schedule (a ReviewSchedule has it)."""

    due_on: date
    redrill_on: date | None


class Stored(Scheduled, Protocol):
    """A stored schedule: its version, and its state with the scheduler's name."""

    version: int
    scheduler: str

    def as_state(self) -> Any: ...


def kind_of(
    schedule: Scheduled | None, *, today: date, flow: str = Flow.REVIEW
) -> Kind | None:
    """The kind of an answer given on study day `today` in `flow`, or None when
    `flow` refuses it (a card not due, in the daily review)."""
    flow = Flow(flow)
    if flow is Flow.MOCK:
        # A mock interview is off the schedule even for a due or re-drilling
        # card: its failures are due tomorrow (no same-day re-drill inside a
        # mock) and its successes leave the card as it was (issue 18).
        return Kind.MOCK
    if schedule is None:
        return OFF_SCHEDULE.get(flow, Kind.NEW)
    if schedule.redrill_on == today:
        return Kind.REDRILL
    if schedule.due_on <= today:
        return Kind.REVIEW
    return OFF_SCHEDULE.get(flow)


def accept(
    schedule: Stored | None,
    *,
    shown_version: int | None,
    is_active: bool,
    today: date,
    flow: str = Flow.REVIEW,
) -> Kind:
    """The kind of an answer to a card shown at `shown_version` (None: not shown
    yet), or ReviewConflict: stale first, then retired, then not due."""
    current = 0 if schedule is None else schedule.version
    if shown_version is not None and shown_version != current:
        raise ReviewConflict(Reason.STALE)
    if not is_active:
        raise ReviewConflict(Reason.RETIRED)
    kind = kind_of(schedule, today=today, flow=flow)
    if kind is None:
        raise ReviewConflict(Reason.NOT_DUE)
    return kind


@dataclass(frozen=True)
class Outcome:
    """What one answer leaves: the scheduler state, the dates, a lapse or not."""

    state: Any
    due_on: date
    redrill_on: date | None
    is_lapse: bool
    # The card is in one of the scheduler's same-day steps (FSRS): it has no
    # interval of days yet, it comes back later today.
    in_step: bool = False


def outcome(
    kind: Kind,
    *,
    scheduler: Scheduler,
    state: Any | None,
    due_on: date | None,
    redrill_on: date | None,
    grade: int,
    today: date,
    elapsed_days: int = 0,
    cap: int | None = None,
    later: int | None = None,
) -> Outcome:
    """The effect of an answer of `kind` with `grade` on study day `today`.

    `state`, `due_on` and `redrill_on` are the schedule's (state None for a card
    never answered); `cap` is the interview plan's limit on the interval;
    `later` (days) moves a due day past a planned break instead
    (plan.away_cap): the state stays the scheduler's own, as a cap leaves it.
    """

    def due(new: Any) -> date:
        interval = scheduler.interval_days(new)
        if later is not None and 1 <= interval < later:
            return today + timedelta(days=later)
        return scheduler.due_on(new, today, cap=cap)

    started = state is not None
    before = state if started else scheduler.initial_state()
    if kind is Kind.REDRILL and started and scheduler.later_today_after(before):
        # FSRS: the card's next same-day step (learning or relearning).
        new = scheduler.next_state(before, grade, elapsed_days=0)
        step = scheduler.later_today_after(new)
        again = today if step else None
        return Outcome(new, due(new), again, is_lapse=False, in_step=step)
    if kind is Kind.REDRILL:
        # SM-2 step 7: logged, the state left alone, back again until known.
        again = today if scheduler.needs_redrill(grade) else None
        return Outcome(before, due_on, again, is_lapse=False)
    off_schedule = kind in OFF_SCHEDULE_KINDS
    failed = grade < PASSING_GRADE
    if off_schedule and started and not failed:
        # A success before the card is due never lengthens its interval.
        return Outcome(before, due_on, redrill_on, is_lapse=False)
    new = scheduler.next_state(before, grade, elapsed_days=elapsed_days)
    # Off the schedule, the session the answer came from is the practice.
    step = not off_schedule and scheduler.later_today_after(new)
    redrills = not off_schedule and (scheduler.needs_redrill(grade) or step)
    again = today if redrills else None
    return Outcome(
        new,
        due(new),
        again,
        is_lapse=started and scheduler.is_lapse(before, grade),
        in_step=step,
    )


def outcome_for(
    kind: Kind,
    schedule: Stored | None,
    *,
    grade: int,
    today: date,
    elapsed_days: int = 0,
    cap: int | None = None,
    new_scheduler: str = scheduling.DEFAULT,
    desired_retention: float | None = None,
    cap_for: Callable[[int], int | None] | None = None,
) -> Outcome:
    """`outcome` for a stored schedule (None: never answered), with its scheduler.

    What grading applies and what the grade buttons preview. A card never
    answered starts with `new_scheduler` (the learner's); `desired_retention`
    is the learner's FSRS setting (SM-2 ignores it). `cap_for` is the
    plan's due day (days from today) as a function of the interval the answer
    would otherwise get (cards/planning/reads.capper_for): fewer days cap the
    interval (the interview plan, a planned break's days before), more move
    the due day past a planned break (`later`).
    """
    later = None
    if cap_for is not None and cap is None:
        free = outcome_for(
            kind,
            schedule,
            grade=grade,
            today=today,
            elapsed_days=elapsed_days,
            new_scheduler=new_scheduler,
            desired_retention=desired_retention,
        )
        owner = scheduling.configured(
            schedule.scheduler if schedule else new_scheduler,
            desired_retention=desired_retention,
        )
        interval = owner.interval_days(free.state)
        cap = cap_for(interval)
        if cap is None:
            return free
        if cap > interval:
            cap, later = None, cap
    if schedule is None:
        return outcome(
            kind,
            scheduler=scheduling.configured(
                new_scheduler, desired_retention=desired_retention
            ),
            state=None,
            due_on=None,
            redrill_on=None,
            grade=grade,
            today=today,
            cap=cap,
            later=later,
        )
    return outcome(
        kind,
        scheduler=scheduling.configured(
            schedule.scheduler, desired_retention=desired_retention
        ),
        state=schedule.as_state(),
        due_on=schedule.due_on,
        redrill_on=schedule.redrill_on,
        grade=grade,
        today=today,
        elapsed_days=elapsed_days,
        cap=cap,
        later=later,
    )

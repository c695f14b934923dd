"""Switching a learner's scheduler, SM-2 <-> FSRS: every card's state converted.

A switch changes each schedule's state and scheduler, nothing else: no due
date moves (a converted state applies from the card's next answer), no logged
answer is touched. SM-2 -> FSRS replays a card's full logged history through
the answer rule with FSRS; a card whose history is incomplete (imported
without its first answer) gets Anki's conversion from its SM-2 ease and
interval (cards/scheduling/convert.py). FSRS -> SM-2 keeps the FSRS interval
and the card's last SM-2 ease. The state replaced is kept on the schedule
(`switched_from`), so switching back the same study day, before the card is
answered again, restores it exactly.

A switch advances each converted schedule's version, so a card shown before
the switch cannot be graded with a state it was not shown with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cards import scheduling
from cards.models import LearnerProfile, ReviewLog, ReviewSchedule
from cards.review import answer
from cards.scheduling import convert, fsrs, sm2

__all__ = ["SwitchResult", "convert_schedules", "replay", "switch_scheduler"]

_COLUMNS = [
    "scheduler",
    "state",
    "interval_days",
    "repetitions",
    "ease",
    "version",
    "switched_from",
]


@dataclass(frozen=True)
class SwitchResult:
    converted: int  # states derived anew (replayed or from the other scheduler's)
    replayed: int  # of which from the card's full history
    restored: int  # restored exactly from a switch earlier the same study day

    @property
    def changed(self) -> int:
        return self.converted + self.restored


@transaction.atomic
def switch_scheduler(
    *,
    user: AbstractBaseUser,
    to: str,
    now: datetime,
    desired_retention: Decimal | None = None,
) -> SwitchResult:
    """Make `to` the learner's scheduler (and set the desired retention).

    Raises ValueError for an unknown scheduler and ValidationError for a
    retention out of range; either way nothing is written.
    """
    scheduling.get(to)
    profile = LearnerProfile.objects.select_for_update().filter(
        user=user
    ).first() or LearnerProfile(user=user)
    if desired_retention is not None:
        profile.desired_retention = desired_retention
    profile.scheduler = to
    profile.full_clean()
    result = convert_schedules(
        user=user, to=to, today=profile.study_day(now), retention=profile.retention
    )
    profile.save()
    return result


def convert_schedules(
    *, user: AbstractBaseUser, to: str, today: date, retention: float
) -> SwitchResult:
    """Convert every schedule of `user` not kept by `to` (in the caller's transaction)."""
    schedules = list(
        ReviewSchedule.objects.select_for_update()
        .filter(user=user)
        .exclude(scheduler=to)
        .order_by("pk")
    )
    if not schedules:
        return SwitchResult(0, 0, 0)
    history: dict[int, list[ReviewLog]] = defaultdict(list)
    for log in (
        ReviewLog.objects.filter(user=user, schedule__in=schedules)
        .order_by("reviewed_at", "from_version")
        .only(
            "schedule_id",
            "kind",
            "grade",
            "study_day",
            "scheduler",
            "state_after",
            "due_before",
        )
    ):
        history[log.schedule_id].append(log)
    target = scheduling.configured(to, desired_retention=retention)
    converted = replayed = restored = 0
    for schedule in schedules:
        stash = schedule.switched_from
        if _restorable(stash, schedule, to=to, today=today):
            state, version, stash = (
                target.loads(stash["state"]),
                stash["from_version"],
                None,
            )
            restored += 1
        else:
            stash = {
                "scheduler": schedule.scheduler,
                "state": schedule.state,
                "study_day": today.isoformat(),
                "from_version": schedule.version,
                "version": schedule.version + 1,
            }
            logs = history.get(schedule.pk, [])
            state, from_history = _converted(schedule, logs, target)
            version = schedule.version + 1
            converted += 1
            replayed += from_history
        schedule.apply(state, due_on=schedule.due_on, scheduler=to)
        schedule.version = version
        schedule.switched_from = stash
    ReviewSchedule.objects.bulk_update(schedules, _COLUMNS, batch_size=500)
    return SwitchResult(converted=converted, replayed=replayed, restored=restored)


def _restorable(stash: object, schedule: ReviewSchedule, *, to: str, today: date):
    return (
        isinstance(stash, dict)
        and stash.get("scheduler") == to
        and stash.get("study_day") == today.isoformat()
        and stash.get("version") == schedule.version
    )


def _converted(
    schedule: ReviewSchedule, logs: Sequence[ReviewLog], target
) -> tuple[object, bool]:
    """The state of `schedule` under `target`, and whether its history made it."""
    if target.name == fsrs.FSRS.name:
        if logs and logs[0].due_before is None:  # the full history, from the start
            return replay(logs, target), True
        source = scheduling.get(schedule.scheduler).loads(schedule.state)
        return convert.fsrs_from_sm2(target, source), False
    source = scheduling.get(schedule.scheduler).loads(schedule.state)
    return (
        convert.sm2_from_fsrs(
            source,
            ease=_last_ease(logs, schedule.switched_from),
            repetitions=_passing_streak(logs),
        ),
        False,
    )


def replay(logs: Iterable[ReviewLog], scheduler) -> object:
    """The state `scheduler` gives a card answered as `logs` say, in order,
    each answer taken as the answer rule takes it (its logged kind)."""
    state = due = redrill = last_day = None
    for log in logs:
        elapsed = 0 if last_day is None else (log.study_day - last_day).days
        result = answer.outcome(
            answer.Kind(log.kind),
            scheduler=scheduler,
            state=state,
            due_on=due,
            redrill_on=redrill,
            grade=log.grade,
            today=log.study_day,
            elapsed_days=max(0, elapsed),
        )
        state, due, redrill = result.state, result.due_on, result.redrill_on
        last_day = log.study_day
    return state


def _last_ease(logs: Sequence[ReviewLog], stash: object) -> Decimal:
    # The state a switch replaced is newer than any answer before it.
    if isinstance(stash, dict) and stash.get("scheduler") == sm2.SM2.name:
        return Decimal(stash["state"]["ease"])
    for log in reversed(logs):
        if log.scheduler == sm2.SM2.name:
            return Decimal(log.state_after["ease"])
    return sm2.DEFAULT_EASE


def _passing_streak(logs: Sequence[ReviewLog]) -> int:
    streak = 0
    for log in reversed(logs):
        if log.kind == answer.Kind.REDRILL:
            continue
        if log.grade < scheduling.PASSING_GRADE:
            break
        streak += 1
    return streak

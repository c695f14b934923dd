"""Card info: every answer to one card, its memory state, and why it is due when it is.

`context` reads the card's log (one query); the rest is shaping. Works for
both schedulers; FSRS rows add stability, difficulty and the retrievability
FSRS predicted at the moment of the answer. The learner's page and the
admin's staff view show the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from cards import scheduling
from cards.models import (
    LearnerProfile,
    Question,
    ReviewKind,
    ReviewLog,
    ReviewSchedule,
    profile_for,
)
from cards.scheduling import fsrs, sm2

GRADE_NAMES = {0: "Blackout", 1: "Again", 2: "Almost", 3: "Hard", 4: "Good", 5: "Easy"}
SCHEDULER_NAMES = {sm2.SM2.name: "SM-2", fsrs.FSRS.name: "FSRS"}


@dataclass(frozen=True)
class Row:
    answered_at: datetime  # in the learner's time zone
    study_day: date
    kind: str
    grade: str
    seconds: float | None
    scheduler: str
    interval: str
    due_after: date
    stability: float | None = None
    difficulty: float | None = None
    retrievability: float | None = None  # FSRS's prediction just before the answer
    ease: str | None = None


@dataclass(frozen=True)
class Info:
    scheduler: str
    due_on: date | None
    interval_days: int | None
    lapses: int
    rows: list[Row]
    why: str
    stability: float | None = None
    difficulty: float | None = None
    retrievability_today: float | None = None

    @property
    def has_fsrs(self) -> bool:
        return any(row.stability is not None for row in self.rows) or (
            self.stability is not None
        )


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _row(log: ReviewLog, previous_day: date | None, profile: LearnerProfile) -> Row:
    owner = scheduling.get(log.scheduler)
    after, before = owner.loads(log.state_after), owner.loads(log.state_before)
    interval = owner.interval_days(after)
    if log.kind == ReviewKind.REDRILL and log.state_after == log.state_before:
        shown = "unchanged (same-day re-drill)"
    else:
        shown = "later today (a step)" if interval == 0 else _days(interval)
    extra: dict = {}
    if log.scheduler == fsrs.FSRS.name:
        recall = None
        if before.stability is not None and previous_day is not None:
            recall = owner.recall_probability(
                before, log.study_day, reviewed_on=previous_day
            )
        extra = {
            "stability": after.stability,
            "difficulty": after.difficulty,
            "retrievability": recall,
        }
    else:
        extra = {"ease": str(after.ease)}
    return Row(
        answered_at=log.reviewed_at.astimezone(profile.tzinfo),
        study_day=log.study_day,
        kind=ReviewKind(log.kind).label,
        grade=f"{log.grade} · {GRADE_NAMES[log.grade]}",
        seconds=None if log.duration_ms is None else log.duration_ms / 1000,
        scheduler=SCHEDULER_NAMES[log.scheduler],
        interval=shown,
        due_after=log.due_after,
        **extra,
    )


def why_due(
    schedule: ReviewSchedule | None,
    last: ReviewLog | None,
    *,
    today: date,
    retention: float,
) -> str:
    """One sentence (or two) on why the card is due when it is."""
    if schedule is None:
        return (
            "You have not answered this card yet: it is new and comes up when "
            "your daily limit of new cards allows."
        )
    name = SCHEDULER_NAMES[schedule.scheduler]
    state = schedule.as_state()
    if schedule.redrill_on == today:
        if schedule.scheduler == fsrs.FSRS.name:
            return (
                "It is in one of FSRS's short learning steps, so it comes back "
                "later today; if you stop before then, it is due tomorrow."
            )
        return (
            "You answered it below Good today, so SM-2 brings it back later "
            "today until you answer Good or Easy."
        )
    if last is not None and last.scheduler != schedule.scheduler:
        return (
            f"Its due date, {schedule.due_on:%-d %B %Y}, was set by "
            f"{SCHEDULER_NAMES[last.scheduler]} before you switched to {name}; "
            f"{name}'s state takes over from your next answer."
        )
    when = f"{schedule.due_on:%-d %B %Y}"
    if schedule.scheduler == fsrs.FSRS.name:
        if state.phase != "review":
            return f"It is still in FSRS's learning steps and is due on {when}."
        return (
            f"FSRS predicts your recall of it falls to your desired retention "
            f"({retention:.0%}) after {_days(state.interval_days)}, so after your "
            f"last answer it is due on {when}. Its stability is "
            f"{state.stability:.1f} days (90% recall after that long)."
        )
    if state.repetitions == 0:
        reason = "your last answer was a failure, so SM-2 starts again at 1 day"
    elif state.repetitions == 1:
        reason = "it was your first success in a row, which SM-2 follows with 1 day"
    elif state.repetitions == 2:
        reason = "it was your second success in a row, which SM-2 follows with 6 days"
    else:
        reason = (
            "SM-2 multiplied the previous interval by the card's ease "
            f"({state.ease}) after another success"
        )
    return f"Due on {when}: {reason} (interval {_days(state.interval_days)})."


def card_info(
    schedule: ReviewSchedule | None,
    logs: Sequence[ReviewLog],
    *,
    profile: LearnerProfile,
    today: date,
) -> Info:
    rows, previous = [], None
    for log in logs:
        rows.append(_row(log, previous, profile))
        previous = log.study_day
    last = logs[-1] if logs else None
    why = why_due(schedule, last, today=today, retention=profile.retention)
    if schedule is None:
        return Info("—", None, None, 0, rows, why)
    state = schedule.as_state()
    extra = {}
    if schedule.scheduler == fsrs.FSRS.name and state.stability is not None:
        recall = None
        if schedule.last_reviewed_at is not None:
            last_day = profile.study_day(schedule.last_reviewed_at)
            recall = scheduling.get(schedule.scheduler).recall_probability(
                state, max(today, last_day), reviewed_on=last_day
            )
        extra = {
            "stability": state.stability,
            "difficulty": state.difficulty,
            "retrievability_today": recall,
        }
    return Info(
        scheduler=SCHEDULER_NAMES[schedule.scheduler],
        due_on=schedule.due_on,
        interval_days=schedule.interval_days,
        lapses=schedule.lapses,
        rows=rows,
        why=why,
        **extra,
    )


def context(
    schedule: ReviewSchedule | None,
    *,
    question: Question | None = None,
    user: object | None = None,
    now: datetime,
) -> dict:
    """The page's context: the question, the learner and their card's info."""
    user = user if schedule is None else schedule.user
    profile = profile_for(user)
    logs = (
        list(schedule.logs.order_by("reviewed_at", "from_version")) if schedule else []
    )
    today = profile.study_day(now)
    return {
        "question": question if schedule is None else schedule.question,
        "info": card_info(schedule, logs, profile=profile, today=today),
        "learner": user,
    }

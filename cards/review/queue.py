"""What a learner studies next, and how much is left today: reads only, no writes.

One `snapshot()` is one SQL statement (cards/review/queue_sql.py), whatever
the size of the bank or the history. The review screen and the dashboard read
the queue through it; `card_for` is one card as the answer rule sees it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from cards import markdown
from cards.models import (
    LearnerProfile,
    Level,
    Question,
    ReviewKind,
    ReviewSchedule,
)
from cards.review import answer, queue_sql

# A card answered below 4 comes back the same day (SM-2 step 7), but not
# straight away: like Anki's 10-minute relearning step, it waits this long
# unless nothing else is left to study.
REDRILL_DELAY = timedelta(minutes=10)


@dataclass(frozen=True)
class Card:
    """A card as shown on the front: enough to render it and to grade it."""

    question_id: int
    prompt: str
    level: int
    version: int
    kind: str
    # The question was substantially rewritten since this learner's last answer.
    changed: bool = False
    # Its schedule, when the card was read with one; None if new.
    schedule: ReviewSchedule | None = field(default=None, compare=False, repr=False)
    # The answer's Markdown, when the card came with it (the queue's heads).
    answer: str | None = field(default=None, compare=False, repr=False)
    # The learner's note on it (cards/care), read with the answer.
    note: str | None = field(default=None, compare=False, repr=False)

    @property
    def prompt_html(self) -> str:
        return markdown.render(self.prompt)

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


KIND_LABELS = {
    ReviewKind.NEW: "New",
    ReviewKind.REVIEW: "Review",
    ReviewKind.REDRILL: "Again today",
    ReviewKind.DRILL: "Drill",
    ReviewKind.MOCK: "Mock interview",
}


@dataclass(frozen=True)
class Queue:
    """Today's queue for one learner, within the chosen levels.

    Counts of what is left (`redrills`, `reviews_left`, `new_left`) respect the
    level restriction and the daily limits; what was done today is counted over
    all levels, because the daily limits are per learner, not per level.
    """

    today: date
    levels: tuple[int, ...]
    redrills: int
    due: int
    new_available: int
    new_left: int
    reviews_left: int
    new_done: int
    reviews_done: int
    redrills_done: int
    next_due_on: date | None
    due_by_tomorrow: int
    undo_log_id: int | None
    card: Card | None
    # The interview plan (issue 17): its day, whether today's plan is made,
    # and the daily new-card limit in force (the plan's pace overrides the
    # learner's own, and `pace_note` says so).
    plan_on: date | None = None
    plan_ready: bool = False
    # The learner has an interview plan row (a date or a break): intervals
    # may be capped. False lets the grade buttons skip looking for a cap.
    has_plan: bool = True
    new_limit: int = 0
    pace_note: str = ""
    # The statement's raw figures and stamps, kept so that a grade can carry
    # the counts over (cards/review/queue_next.py).
    figures: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def needs_plan(self) -> bool:
        """A date is set but today's plan is not made yet (prepare_day)."""
        return self.plan_on is not None and not self.plan_ready

    @property
    def left(self) -> int:
        return self.redrills + self.reviews_left + self.new_left

    @property
    def done(self) -> int:
        return self.new_done + self.reviews_done + self.redrills_done

    @property
    def reviews_over_limit(self) -> int:
        return self.due - self.reviews_left

    @property
    def new_over_limit(self) -> int:
        return self.new_available - self.new_left

    @property
    def is_limited(self) -> bool:
        return self.reviews_over_limit > 0 or self.new_over_limit > 0


def snapshot(
    *,
    user: object,
    profile: LearnerProfile,
    now: datetime,
    levels: Iterable[int] = (),
) -> Queue:
    """Today's queue for `user` in one query (see the module docstring)."""
    levels = tuple(sorted(set(levels)))
    today = profile.study_day(now)
    row = queue_sql.counts_and_heads(
        user.pk, today=today, ready_before=now - REDRILL_DELAY, levels=levels
    )
    return from_row(row, profile=profile, today=today, levels=levels)


def from_row(
    row: dict, *, profile: LearnerProfile, today: date, levels: tuple[int, ...]
) -> Queue:
    """The queue from the statement's figures and heads (or figures carried
    over from the last snapshot and updated by a grade: cards/review/queue_next)."""
    reviews_left = min(
        row["due"], max(0, profile.reviews_per_day - row["reviews_done"])
    )
    plan = row["plan_head"] or {}
    new_limit, pace_note = _new_limit(profile, plan)
    new_left = min(row["new_available"], max(0, new_limit - row["new_done"]))
    card = _choose(
        redrill=row["redrill_head"],
        review=row["review_head"] if reviews_left else None,
        new=row["new_head"] if new_left else None,
        new_first=bool(plan.get("ready") and plan.get("new_first")),
    )
    return Queue(
        today=today,
        levels=levels,
        redrills=row["redrills"],
        due=row["due"],
        new_available=row["new_available"],
        new_left=new_left,
        reviews_left=reviews_left,
        new_done=row["new_done"],
        reviews_done=row["reviews_done"],
        redrills_done=row["redrills_done"],
        next_due_on=_as_date(row["next_due_on"]),
        due_by_tomorrow=row["due_by_tomorrow"],
        undo_log_id=row["undo_log_id"],
        card=card,
        plan_on=_as_date(plan.get("on")),
        plan_ready=bool(plan.get("ready")),
        has_plan=bool(row.get("has_plan", True)),
        new_limit=new_limit,
        pace_note=pace_note,
        figures={k: v for k, v in row.items() if k not in queue_sql.HEADS[:3]},
    )


def _new_limit(profile: LearnerProfile, plan: dict) -> tuple[int, str]:
    """Today's new-card limit and, when the interview plan sets it, why."""
    own = profile.new_cards_per_day
    pace = plan.get("new_today") if plan.get("ready") else None
    if pace is None or pace == own:
        return own, ""
    return pace, (
        f"Your interview plan sets today's new questions to {pace} "
        f"instead of your daily limit of {own}."
    )


def _as_date(value: date | str | None) -> date | None:
    # SQLite returns an aggregate over a date column as text.
    return date.fromisoformat(value) if isinstance(value, str) else value


def _moment(value: str | None) -> datetime | None:
    """A timestamp from the head's JSON (SQLite's text is naive UTC)."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _schedule(head: dict) -> ReviewSchedule | None:
    """The head's schedule, unsaved, with what grading previews read."""
    if "state" not in head:
        return None
    state = head["state"]
    return ReviewSchedule(
        question_id=int(head["id"]),
        scheduler=head["scheduler"],
        state=json.loads(state) if isinstance(state, str) else state,
        due_on=_as_date(head["due_on"]),
        redrill_on=_as_date(head["redrill_on"]),
        lapses=int(head["lapses"]),
        last_reviewed_at=_moment(head["last_reviewed_at"]),
        version=int(head["version"]),
        unseen_change_id=head.get("changed"),
    )


def _card(head: dict, kind: str) -> Card:
    return Card(
        question_id=int(head["id"]),
        prompt=head["prompt"],
        level=int(head["level"]),
        version=int(head["version"]),
        kind=kind,
        changed=head.get("changed") is not None,
        schedule=_schedule(head),
        answer=head.get("answer"),
        note=head.get("note"),
    )


def _choose(
    *,
    redrill: dict | None,
    review: dict | None,
    new: dict | None,
    new_first: bool = False,
) -> Card | None:
    """Ready re-drills, then due reviews, then new cards, then waiting re-drills.
    With `new_first` (the interview plan's pace is behind) today's new cards
    come before the due reviews."""
    if redrill and redrill["ready"]:
        return _card(redrill, ReviewKind.REDRILL)
    if new_first and new:
        return _card(new, ReviewKind.NEW)
    if review:
        return _card(review, ReviewKind.REVIEW)
    if new:
        return _card(new, ReviewKind.NEW)
    if redrill:
        return _card(redrill, ReviewKind.REDRILL)
    return None


def card_for(
    *,
    user: object,
    question: Question,
    today: date,
    version: int | None = None,
    flow: str = answer.Flow.REVIEW,
) -> Card:
    """One question's card as it can be answered now in `flow`, with its schedule.

    `version` is the version the card was shown at, if it was shown. Raises
    ReviewConflict when the answer rule would refuse an answer (stale, retired,
    not due), exactly as grading would.
    """
    schedule = ReviewSchedule.objects.filter(user=user, question=question).first()
    kind = answer.accept(
        schedule,
        shown_version=version,
        is_active=question.is_active,
        today=today,
        flow=flow,
    )
    return Card(
        question_id=question.pk,
        prompt=question.prompt,
        level=question.level,
        version=schedule.version if schedule else 0,
        kind=kind,
        changed=schedule is not None and schedule.has_unseen_change,
        schedule=schedule,
    )

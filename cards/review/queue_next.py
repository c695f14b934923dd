"""The queue after a grade without recounting it: the last snapshot's counts,
moved by what the answer did to its card, and only the next card read.

The review screen keeps its last queue's figures in the shared cache
(`remember`). A grade of the card that queue showed changes each count by at
most one, and `figures_after` (pure) says by how much from the card's dates
before and after. The grade then reads only the sub-queues' heads (index
probes, queue_sql.HEADS) with the stamps of the learner's day: when they show
any other change since the counts were taken (an answer or undo in another
tab, a suspension), or the cache lost them, the full snapshot runs instead.
Not stamped: topic choices and question retirements made while a review is
open; the counts catch up at the next full snapshot (a page load, a refusal,
or `TTL`). tests/review/test_queue_next.py checks the result equals the full
snapshot after any sequence of grades.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.cache import caches

from cards.models import LearnerProfile, ReviewKind, ReviewLog
from cards.review import queue, queue_sql

CACHE = "sessions"  # shared by every worker of a host (or Redis)
TTL = 600
COUNTS = (
    "redrills",
    "due",
    "new_available",
    "new_done",
    "reviews_done",
    "redrills_done",
    "next_due_on",
    "due_by_tomorrow",
    "undo_log_id",
)
DONE = {
    ReviewKind.NEW: "new_done",
    ReviewKind.REVIEW: "reviews_done",
    ReviewKind.REDRILL: "redrills_done",
}


def _key(user_pk: int, levels: tuple[int, ...]) -> str:
    return f"queue:{user_pk}:{','.join(map(str, levels))}"


def remember(user_pk: int, snapshot: queue.Queue) -> None:
    """Keep `snapshot`'s figures for the grade of the card it shows."""
    if not snapshot.figures or snapshot.card is None:
        return
    carried = {name: snapshot.figures[name] for name in COUNTS + queue_sql.STAMPS}
    carried.update(
        today=snapshot.today,
        card=(snapshot.card.question_id, snapshot.card.version),
    )
    caches[CACHE].set(_key(user_pk, snapshot.levels), carried, TTL)


def figures_after(
    figures: dict,
    *,
    kind: str,
    before: tuple[date, date | None] | None,
    after: tuple[date, date | None],
    today: date,
    log_id: int,
) -> dict | None:
    """The queue's counts after one answer of `kind` to a card the queue
    counted, from its (due_on, redrill_on) before (None: new) and after.

    None when they cannot be known without counting: the card was the one
    that set the next due date, and it moved later."""
    tomorrow = today + timedelta(days=1)

    def counted(dates: tuple[date, date | None] | None) -> dict[str, int]:
        if dates is None:
            return {"redrills": 0, "due": 0, "due_by_tomorrow": 0}
        due_on, redrill_on = dates
        again = redrill_on == today
        return {
            "redrills": int(again),
            "due": int(due_on <= today and not again),
            "due_by_tomorrow": int(due_on <= tomorrow and not again),
        }

    new = dict(figures)
    was, now = counted(before), counted(after)
    for name in was:
        new[name] += now[name] - was[name]
    if before is None:
        new["new_available"] = max(0, new["new_available"] - 1)
    if kind in DONE:
        new[DONE[kind]] += 1
    next_due = queue._as_date(figures["next_due_on"])
    earliest = before is not None and today < before[0] == next_due
    if earliest and after[0] != before[0]:
        return None  # the earliest future card moved: only a count knows
    if after[0] > today:
        next_due = after[0] if next_due is None else min(next_due, after[0])
    new["next_due_on"] = next_due
    new["undo_log_id"] = log_id
    return new


def unserved_heads(figures: dict, profile: LearnerProfile) -> frozenset[str]:
    """The heads queue.from_row would not serve whatever the heads say: no
    new question left to start (a learner who has started the whole bank
    would otherwise have every question visited), or today's review limit
    reached (the due head sorts every due card). Both follow from the counts
    alone, exactly as from_row decides."""
    skip = set()
    if figures["new_available"] == 0:
        skip.add("new_head")
    if (
        min(figures["due"], max(0, profile.reviews_per_day - figures["reviews_done"]))
        == 0
    ):
        skip.add("review_head")
    return frozenset(skip)  # one of queue_sql.SKIPS


def _stamps_hold(carried: dict, heads: dict, log_id: int) -> bool:
    """Nothing but this answer changed the day since the counts were taken."""
    return (
        heads["logs_n"] == carried["logs_n"] + 1
        and heads["logs_sum"] == carried["logs_sum"] + log_id
        and heads["suspended_n"] == carried["suspended_n"]
        and heads["suspended_sum"] == carried["suspended_sum"]
    )


def after_grade(
    *,
    user: object,
    profile: LearnerProfile,
    now: datetime,
    levels: tuple[int, ...],
    log: ReviewLog,
) -> queue.Queue | None:
    """The queue after `log`'s answer from the carried counts and the heads,
    or None when the counts cannot be carried over (run the snapshot)."""
    levels = tuple(sorted(set(levels)))
    today = profile.study_day(now)
    key = _key(user.pk, levels)
    carried = caches[CACHE].get(key)
    if (
        carried is None
        or carried["today"] != today
        or log.study_day != today
        or carried["card"] != (log.question_id, log.from_version)
    ):
        return None
    schedule = log.schedule
    figures = figures_after(
        {name: carried[name] for name in COUNTS},
        kind=log.kind,
        before=None if log.due_before is None else (log.due_before, log.redrill_before),
        after=(schedule.due_on, schedule.redrill_on),
        today=today,
        log_id=log.pk,
    )
    if figures is None:
        return None
    heads = queue_sql.counts_and_heads(
        user.pk,
        today=today,
        ready_before=now - queue.REDRILL_DELAY,
        levels=levels,
        heads_only=True,
        skip=unserved_heads(figures, profile),
    )
    if not _stamps_hold(carried, heads, log.pk):
        caches[CACHE].delete(key)
        return None
    result = queue.from_row(
        {**figures, **heads}, profile=profile, today=today, levels=levels
    )
    if result.needs_plan:
        return None
    return result

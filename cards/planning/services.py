"""Writes of the plan: set and clear the date, plan a break, spread a backlog, the day.

Keyword-only, one transaction each; nothing is written when a PlanError is
raised. Moving due days is the only change to schedules, and only when the
learner asks (a break, a backlog spread), the plan's final window brings a
card back, or a run-up day over its limit moves a review to a day with room;
states and intervals are never touched.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cards import scheduling
from cards.models import Level, ReviewSchedule, profile_for
from cards.planning import reads
from cards.planning.models import InterviewPlan, StudyBreak
from cards.scheduling import plan

PlanError = plan.PlanError


def _locked_plan(user: AbstractBaseUser) -> InterviewPlan:
    row, _ = InterviewPlan.objects.select_for_update().get_or_create(user=user)
    return row


@transaction.atomic
def set_interview(
    *,
    user: AbstractBaseUser,
    on: date,
    levels: list[int],
    minutes_per_day: int | None,
    now: datetime,
) -> InterviewPlan:
    today = profile_for(user).study_day(now)
    checked = plan.set_interview(
        on,
        today=today,
        levels=levels,
        known_levels=Level.values,
        minutes_per_day=minutes_per_day,
    )
    row = _locked_plan(user)
    if row.interview_on != checked.on:
        row.set_on = today  # a new date starts a new pace
    row.interview_on = checked.on
    row.levels = sorted(checked.scope.levels)
    row.minutes_per_day = minutes_per_day
    row.prepared_on = None  # re-plan today
    row.new_today = None
    row.save()
    return row


@transaction.atomic
def clear_interview(*, user: AbstractBaseUser) -> None:
    """Back to normal scheduling: no schedule changes, levels and minutes kept."""
    row = InterviewPlan.objects.select_for_update().filter(user=user).first()
    if row is not None:
        row.interview_on = None
        row.prepared_on = None
        row.new_today = None
        row.save()


def _move(user: AbstractBaseUser, moves: dict[int, date]) -> int:
    schedules = ReviewSchedule.objects.select_for_update().filter(
        user=user, question_id__in=moves
    )
    changed = []
    for schedule in schedules:
        schedule.due_on = moves[schedule.question_id]
        changed.append(schedule)
    ReviewSchedule.objects.bulk_update(changed, ["due_on"])
    return len(changed)


@transaction.atomic
def plan_break(
    *, user: AbstractBaseUser, starts_on: date, ends_on: date, now: datetime
) -> tuple[StudyBreak, int]:
    """Record days away and move what falls due in them before and after."""
    profile = profile_for(user)
    today = profile.study_day(now)
    plan.validate_break(today=today, away_from=starts_on, away_to=ends_on)
    length = (ends_on - starts_on).days + 1
    load = reads.due_load(user, today, date.fromordinal(ends_on.toordinal() + length))
    moves = plan.before_break(
        reads.cards_for(user, profile),
        today=today,
        away_from=starts_on,
        away_to=ends_on,
        load=load,
        usual=reads.usual_load(user, today, days=plan.breaks.ENTRY_USUAL_DAYS),
    )
    # The plan row is where the grading path looks for breaks (reads.capper_for).
    InterviewPlan.objects.get_or_create(user=user)
    away = StudyBreak.objects.create(user=user, starts_on=starts_on, ends_on=ends_on)
    return away, _move(user, moves)


@transaction.atomic
def cancel_break(*, user: AbstractBaseUser, break_id: int) -> bool:
    """Forget a planned break (cards already moved keep their new days)."""
    deleted, _ = StudyBreak.objects.filter(user=user, pk=break_id).delete()
    return bool(deleted)


@transaction.atomic
def spread_backlog(*, user: AbstractBaseUser, days: int, now: datetime) -> int:
    """The learner accepted the backlog offer: spread what is due over `days`."""
    profile = profile_for(user)
    today = profile.study_day(now)
    last = date.fromordinal(today.toordinal() + max(1, days) - 1)
    moves = plan.spread_backlog(
        reads.cards_for(user, profile),
        today=today,
        days=days,
        load=reads.due_load(user, today, last),
    )
    return _move(user, moves)


@transaction.atomic
def prepare_day(*, user: AbstractBaseUser, now: datetime) -> plan.DayPlan | None:
    """Make today's plan once per study day: its new-card pace, in the run-up
    move the reviews a day over its limit defers, and in the final window (or
    a date set for today or tomorrow) bring its cards forward to today.
    Returns the plan when it was made now, None when there is no date or today's
    plan was already made."""
    row = InterviewPlan.objects.select_for_update().filter(user=user).first()
    if row is None or not row.is_active:
        return None
    profile = profile_for(user)
    today = profile.study_day(now)
    if row.prepared_on == today:
        return None
    interview = row.as_interview()
    day = plan.plan_day(
        interview,
        today,
        reads.cards_for(user, profile),
        default=scheduling.get(scheduling.DEFAULT),
        new_limit=profile.new_cards_per_day,
        effort=reads.effort_for(user),
        answered=reads.answered_since(user, interview, today),
    )
    _move(user, {**dict.fromkeys(day.brought_forward, today), **dict(day.deferred)})
    row.prepared_on = today
    row.new_today = day.new if day.phase is not plan.Phase.AFTER else None
    row.new_first = day.new_first
    row.moved_today = [on.isoformat() for _, on in day.deferred]
    row.save(
        update_fields=[
            "prepared_on",
            "new_today",
            "new_first",
            "moved_today",
            "updated_at",
        ]
    )
    return day

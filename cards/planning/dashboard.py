"""What the dashboard shows of the plan: computed here, the templates only loop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from cards import scheduling
from cards.care import reads as care_reads
from cards.models import LearnerProfile, Level, ReviewSchedule
from cards.planning import reads
from cards.planning.forms import BacklogForm, BreakForm, InterviewForm
from cards.planning.models import InterviewPlan, StudyBreak
from cards.scheduling import plan


@dataclass(frozen=True)
class LevelReadiness:
    label: str
    percent: int


@dataclass(frozen=True)
class Summary:
    """The interview plan as the learner sees it today (None fields: no date)."""

    row: InterviewPlan | None
    days_left: int | None = None
    on_track: bool = False
    phase: str = ""
    new_today: int = 0
    due_today: int = 0
    brought_forward: int = 0
    readiness: int = 0
    if_you_stop: int = 0
    by_level: tuple[LevelReadiness, ...] = ()
    feasibility: str = ""
    is_feasible: bool = True
    notes: tuple[str, ...] = ()
    scope: str = ""

    @property
    def is_active(self) -> bool:
        return self.days_left is not None

    @property
    def days_left_text(self) -> str:
        n = self.days_left
        if n is None:
            return ""
        if n < 0:
            return "Your interview day has passed: normal scheduling again."
        if n == 0:
            return "Your interview is today."
        return f"{n} day{'' if n == 1 else 's'} to your interview."


def _pct(x: float) -> int:
    return int(x * 100 + 0.5)


def _moved_note(row: InterviewPlan, today: date) -> tuple[str, ...]:
    """What today's plan moved (services.prepare_day), said in a sentence."""
    if row.prepared_on != today or not row.moved_today:
        return ()
    days = sorted({date.fromisoformat(d) for d in row.moved_today})
    named = ", ".join(f"{d:%A} {d.day} {d:%B}" for d in days)
    count = len(row.moved_today)
    reviews = "review" if count == 1 else "reviews"
    return (
        f"To keep today within the plan's limit, {count} {reviews} due today "
        f"moved to {named}, while you are still predicted to recall "
        f"{'it' if count == 1 else 'them'}.",
    )


def summary(user: object, profile: LearnerProfile, now: datetime) -> Summary:
    row = reads.interview_for(user)
    interview = row.as_interview() if row else None
    if interview is None:
        return Summary(row=row)
    today = profile.study_day(now)
    default = scheduling.get(scheduling.DEFAULT)
    cards = reads.cards_for(user, profile)
    left = plan.days_left(interview, today)
    effort = reads.effort_for(user)
    day = plan.plan_day(
        interview,
        today,
        cards,
        default=default,
        new_limit=profile.new_cards_per_day,
        effort=effort,
    )
    check = plan.feasibility(interview, today, cards, default=default, effort=effort)
    ready = plan.forecast(
        interview, today, cards, default=default, coverage=check.coverage
    )
    chosen = [c for c in cards if interview.scope.includes(c)]
    levels = sorted(interview.scope.levels) or Level.values
    return Summary(
        row=row,
        days_left=left,
        phase=day.phase.value,
        on_track=left < 0
        or (check.is_feasible and ready.overall >= plan.TARGET_RECALL),
        new_today=row.new_today if row.prepared_on == today else day.new,
        due_today=sum(1 for c in chosen if not c.is_new and c.due_on <= today),
        brought_forward=len(day.brought_forward),
        readiness=_pct(ready.overall),
        if_you_stop=_pct(ready.if_you_stop),
        by_level=tuple(
            LevelReadiness(Level(lv).label, _pct(ready.by_level[lv]))
            for lv in levels
            if lv in ready.by_level
        ),
        feasibility=check.sentence,
        is_feasible=check.is_feasible,
        notes=day.notes + _moved_note(row, today),
        scope=", ".join(Level(lv).label for lv in levels),
    )


def backlog(user: object, profile: LearnerProfile, now: datetime):
    """The offer to spread a backlog, when today's due cards exceed the usual day."""
    today = profile.study_day(now)
    due = ReviewSchedule.objects.filter(
        care_reads.not_suspended(user),
        user=user,
        question__is_active=True,
        due_on__lte=today,
    ).count()
    return plan.backlog_offer(due=due, usual=reads.usual_load(user, today))


def breaks(user: object, profile: LearnerProfile, now: datetime) -> list[StudyBreak]:
    today = profile.study_day(now)
    return list(StudyBreak.objects.filter(user=user, ends_on__gte=today))


def context(user: object, profile: LearnerProfile, now: datetime, **forms) -> dict:
    """Everything the plan's partials need (the plan page and Settings)."""
    summary_ = summary(user, profile, now)
    offer = backlog(user, profile, now)
    row = summary_.row
    initial = {}
    if row is not None:
        initial = {
            "interview_on": row.interview_on,
            "levels": row.levels,
            "minutes_per_day": row.minutes_per_day,
        }
    return {
        "plan": summary_,
        "interview_form": forms.get("interview_form") or InterviewForm(initial=initial),
        "break_form": forms.get("break_form") or BreakForm(),
        "backlog_form": forms.get("backlog_form") or _backlog_form(offer),
        "backlog": offer,
        "breaks": breaks(user, profile, now),
    }


def home_context(
    user: object, profile: LearnerProfile, now: datetime, *, plan_on, due: int
) -> dict:
    """The dashboard's share, from what the queue already read: no query at all
    for a learner without a date and without a backlog."""
    summary_ = summary(user, profile, now) if plan_on else Summary(row=None)
    offer = (
        plan.backlog_offer(
            due=due, usual=reads.usual_load(user, profile.study_day(now))
        )
        if due >= plan.breaks.MIN_BACKLOG
        else None
    )
    return {
        "plan": summary_,
        "interview_form": InterviewForm(
            initial={"interview_on": plan_on} if plan_on else {}
        ),
        "break_form": BreakForm(),
        "backlog": offer,
        "backlog_form": _backlog_form(offer),
    }


def _backlog_form(offer) -> BacklogForm:
    return BacklogForm(initial={"days": offer.days if offer else 3})

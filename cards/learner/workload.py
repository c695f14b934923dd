"""The workload estimate next to the scheduler setting: reads only, no writes.

The learner's cards as FSRS would hold them (converted as a switch would, for
an SM-2 learner), simulated for 30 days at each desired retention
(cards/scheduling/workload.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from cards import scheduling
from cards.learner.scheduler_switch import replay
from cards.models import LearnerProfile, Question, ReviewLog, ReviewSchedule
from cards.scheduling import convert, evaluation, fsrs, workload


@dataclass(frozen=True)
class Estimate:
    retention: float
    per_day: float
    is_current: bool

    @property
    def percent(self) -> int:
        return round(self.retention * 100)


def cards_now(*, user: object, profile: LearnerProfile, now: datetime):
    """Every started card of `user` as a workload.CardNow, in FSRS terms."""
    today = profile.study_day(now)
    engine = scheduling.get(fsrs.FSRS.name)
    schedules = list(ReviewSchedule.objects.for_user(user).order_by("pk"))
    history = defaultdict(list)
    sm2_ids = [s.pk for s in schedules if s.scheduler != fsrs.FSRS.name]
    if sm2_ids:
        for log in (
            ReviewLog.objects.filter(user=user, schedule_id__in=sm2_ids)
            .order_by("reviewed_at", "from_version")
            .only("schedule_id", "kind", "grade", "study_day", "due_before")
        ):
            history[log.schedule_id].append(log)
    cards = []
    for schedule in schedules:
        state = schedule.as_state()
        if schedule.scheduler != fsrs.FSRS.name:
            logs = history[schedule.pk]
            if logs and logs[0].due_before is None:
                state = replay(logs, engine)
            else:
                state = convert.fsrs_from_sm2(engine, state)
        since = schedule.elapsed_days(today=today, profile=profile)
        due_in = (schedule.due_on - today).days
        if schedule.redrill_on == today:
            due_in = 0
        cards.append(workload.CardNow(state=state, due_in=due_in, since_review=since))
    return cards


def estimate(*, user: object, profile: LearnerProfile, now: datetime) -> list[Estimate]:
    cards = cards_now(user=user, profile=profile, now=now)
    started = ReviewSchedule.objects.for_user(user).values("question_id")
    new_available = Question.objects.active().exclude(pk__in=started).count()
    return [
        Estimate(
            retention=r,
            per_day=workload.reviews_per_day(
                fsrs.configured(r),
                cards,
                new_per_day=profile.new_cards_per_day,
                new_available=new_available,
            ),
            is_current=profile.scheduler == fsrs.FSRS.name
            and abs(profile.retention - r) < 0.001,
        )
        for r in workload.RETENTIONS
    ]


def default_parameters_fit(*, user: object) -> evaluation.Evaluation:
    """The log-loss of FSRS's default parameters on the learner's whole history."""
    histories = defaultdict(list)
    for schedule_id, day, grade in (
        ReviewLog.objects.filter(user=user)
        .order_by("reviewed_at", "from_version")
        .values_list("schedule_id", "study_day", "grade")
    ):
        histories[schedule_id].append((day, grade))
    return evaluation.evaluate(histories.values(), fsrs.configured())

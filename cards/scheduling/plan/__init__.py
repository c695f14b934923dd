"""The interview-date plan, breaks and backlogs: pure policy over the Scheduler protocol.

`core` holds the phases, the pace, the cap and each day's plan; `forecast` the
readiness on the day and the minutes a day it needs; `breaks` where due cards
go around days away. The queue and the grading service consult it (through
cards/planning/); it never reads a clock or the database.
"""

from cards.scheduling.plan.breaks import (
    BacklogOffer,
    away_cap,
    backlog_offer,
    before_break,
    spread_backlog,
    validate_break,
)
from cards.scheduling.plan.core import (
    BRING_BACK_BELOW,
    TARGET_RECALL,
    Card,
    Interview,
    Phase,
    PlanError,
    Scope,
    cap_for,
    days_left,
    new_quota,
    pace_floor,
    phase,
    set_interview,
    window_days,
    window_start,
)
from cards.scheduling.plan.day import (
    DayPlan,
    bring_back,
    is_behind,
    plan_day,
    room_for_new,
    target_load,
)
from cards.scheduling.plan.forecast import (
    Effort,
    Feasibility,
    Readiness,
    coverage_sentence,
    effort_from,
    feasibility,
    forecast,
    project,
)

__all__ = [
    "BRING_BACK_BELOW",
    "TARGET_RECALL",
    "BacklogOffer",
    "Card",
    "DayPlan",
    "Effort",
    "Feasibility",
    "Interview",
    "Phase",
    "PlanError",
    "Readiness",
    "Scope",
    "away_cap",
    "backlog_offer",
    "before_break",
    "bring_back",
    "cap_for",
    "coverage_sentence",
    "days_left",
    "effort_from",
    "feasibility",
    "forecast",
    "is_behind",
    "new_quota",
    "pace_floor",
    "phase",
    "plan_day",
    "project",
    "room_for_new",
    "set_interview",
    "spread_backlog",
    "target_load",
    "validate_break",
    "window_days",
    "window_start",
]

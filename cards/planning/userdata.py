"""The plan's part of "Your data": the interview date, its choices and the breaks."""

from __future__ import annotations

from datetime import date
from typing import Any

from cards.planning.models import InterviewPlan, StudyBreak
from cards.scheduling import plan

MAX_BREAKS = 500
_KEYS = {"interview_on", "set_on", "levels", "minutes_per_day", "breaks"}


def export_plan(user: object) -> dict[str, Any]:
    row = InterviewPlan.objects.filter(user=user).first()
    breaks = StudyBreak.objects.filter(user=user)
    return {
        "interview_on": row.interview_on.isoformat()
        if row and row.interview_on
        else None,
        "set_on": row.set_on.isoformat() if row and row.set_on else None,
        "levels": list(row.levels) if row else [],
        "minutes_per_day": row.minutes_per_day if row else None,
        "breaks": [[b.starts_on.isoformat(), b.ends_on.isoformat()] for b in breaks],
    }


def _day(value: object, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"plan.{name} must be a date such as 2026-03-01") from None


def parse_plan(raw: object) -> dict[str, Any]:
    """Validate the file's "plan"; ValueError says what is wrong."""
    if not isinstance(raw, dict) or set(raw) != _KEYS:
        raise ValueError(f"plan must have exactly {', '.join(sorted(_KEYS))}")
    levels = raw["levels"]
    if not isinstance(levels, list) or not all(
        type(v) is int and v in (1, 2, 3) for v in levels
    ):
        raise ValueError("plan.levels must be a list of levels 1 to 3")
    minutes = raw["minutes_per_day"]
    if minutes is not None and not (
        type(minutes) is int
        and plan.core.MIN_MINUTES <= minutes <= plan.core.MAX_MINUTES
    ):
        raise ValueError("plan.minutes_per_day must be a whole number from 5 to 600")
    breaks = raw["breaks"]
    if not isinstance(breaks, list) or len(breaks) > MAX_BREAKS:
        raise ValueError(f"plan.breaks must be a list of at most {MAX_BREAKS}")
    pairs = []
    for pair in breaks:
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValueError("plan.breaks holds [first day, last day] pairs")
        first, last = _day(pair[0], "breaks"), _day(pair[1], "breaks")
        if first is None or last is None or last < first:
            raise ValueError("plan.breaks: a break ends on or after it starts")
        pairs.append((first, last))
    return {
        "interview_on": _day(raw["interview_on"], "interview_on"),
        "set_on": _day(raw["set_on"], "set_on"),
        "levels": sorted(set(levels)),
        "minutes_per_day": minutes,
        "breaks": pairs,
    }


def import_plan(user: object, parsed: dict[str, Any]) -> None:
    """Restore the plan (the file's replaces the account's) and add its breaks."""
    InterviewPlan.objects.update_or_create(
        user=user,
        defaults={
            "interview_on": parsed["interview_on"],
            "set_on": parsed["set_on"],
            "levels": parsed["levels"],
            "minutes_per_day": parsed["minutes_per_day"],
            "prepared_on": None,
            "new_today": None,
        },
    )
    have = set(StudyBreak.objects.filter(user=user).values_list("starts_on", "ends_on"))
    StudyBreak.objects.bulk_create(
        StudyBreak(user=user, starts_on=a, ends_on=b)
        for a, b in parsed["breaks"]
        if (a, b) not in have
    )

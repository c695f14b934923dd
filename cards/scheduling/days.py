"""Study days: the learner's local calendar day, starting at their rollover hour."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo


def study_day(moment: datetime, *, tz: tzinfo, rollover_hour: int) -> date:
    """The learner's study day at `moment`: local wall time minus the rollover.

    With the default rollover of 4, 03:59 local still belongs to yesterday.
    Wall-clock subtraction keeps this monotonic across DST changes.
    """
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    local = moment.astimezone(tz)
    return (local.replace(tzinfo=None) - timedelta(hours=rollover_hour)).date()


def next_rollover(moment: datetime, *, tz: tzinfo, rollover_hour: int) -> datetime:
    """The moment the study day after `moment`'s begins (its rollover hour)."""
    tomorrow = study_day(moment, tz=tz, rollover_hour=rollover_hour) + timedelta(days=1)
    start = datetime.combine(tomorrow, time(rollover_hour), tz)
    # A rollover hour that a DST change skips: the first moment after the gap.
    while study_day(start, tz=tz, rollover_hour=rollover_hour) < tomorrow:
        start += timedelta(minutes=30)
    return start

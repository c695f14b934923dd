"""PURE (stdlib only): when a learner's next digest is due, in UTC.

A local hour on a day of a DST change is read with fold=0: an hour that the
clocks skip (02:00 in New York in March) maps to the same instant as the hour
after it (03:00 daylight time), and an hour that happens twice (01:00 in New
York in November) is taken once, at its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

ALL_DAYS = 0b1111111


def local_send_time(day: date, *, hour: int, tz: tzinfo) -> datetime:
    """The instant (UTC) of `hour`:00 on `day` in `tz`, as described above."""
    return datetime.combine(day, time(hour), tzinfo=tz).replace(fold=0).astimezone(UTC)


def is_send_day(day: date, weekdays: int) -> bool:
    return bool(weekdays & (1 << day.weekday()))


def next_send_at(
    after: datetime, *, hour: int, weekdays: int, tz: tzinfo
) -> datetime | None:
    """The first send instant strictly after `after`; None if no day is chosen."""
    if after.tzinfo is None:
        raise ValueError("after must be timezone-aware")
    if not 0 <= hour <= 23:
        raise ValueError("hour must be 0-23")
    weekdays &= ALL_DAYS
    if not weekdays:
        return None
    day = after.astimezone(tz).date() - timedelta(days=1)
    for _ in range(9):  # a week and the two ends
        moment = local_send_time(day, hour=hour, tz=tz)
        if moment > after and is_send_day(day, weekdays):
            return moment
        day += timedelta(days=1)
    raise AssertionError("unreachable: some chosen weekday falls within 9 days")


def local_date_of(moment: datetime, *, tz: tzinfo) -> date:
    """The learner's calendar date at `moment` (the delivery's unique day)."""
    return moment.astimezone(tz).date()

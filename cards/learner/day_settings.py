"""The study day of a learner whose time zone or rollover hour is changing.

A new time zone or rollover hour waits for the next rollover under the old
ones, so changing them never opens a fresh study day (issue 14): the profile
keeps the choice as pending_* with `pending_from`, study_day() applies it
from then, and the next settings save stores it (cards/learner/services.py).
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from cards.scheduling import days


class DaySettings:
    """LearnerProfile's day methods (its fields are in cards/models.py)."""

    time_zone: str
    rollover_hour: int
    pending_time_zone: str
    pending_rollover_hour: int | None
    pending_from: datetime | None

    @property
    def has_pending(self) -> bool:
        return self.pending_from is not None

    def day_settings_at(self, moment: datetime) -> tuple[str, int]:
        """(time zone, rollover hour) in force at `moment`."""
        if self.pending_from is not None and moment >= self.pending_from:
            hour = self.pending_rollover_hour
            return (
                self.pending_time_zone or self.time_zone,
                self.rollover_hour if hour is None else hour,
            )
        return self.time_zone, self.rollover_hour

    def zone_at(self, moment: datetime) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.day_settings_at(moment)[0])

    def study_day(self, moment: datetime) -> date:
        zone, hour = self.day_settings_at(moment)
        return days.study_day(moment, tz=zoneinfo.ZoneInfo(zone), rollover_hour=hour)

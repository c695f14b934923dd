"""Study days (cards/scheduling/days.py): local date minus the rollover hour."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cards.scheduling import days


def test_study_day_rolls_over_at_the_rollover_hour():
    ny = ZoneInfo("America/New_York")
    before = datetime(2026, 3, 10, 3, 59, tzinfo=ny)
    after = datetime(2026, 3, 10, 4, 0, tzinfo=ny)
    assert days.study_day(before, tz=ny, rollover_hour=4) == date(2026, 3, 9)
    assert days.study_day(after, tz=ny, rollover_hour=4) == date(2026, 3, 10)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [("Pacific/Kiritimati", date(2026, 6, 2)), ("Etc/GMT+12", date(2026, 6, 1))],
)
def test_study_day_at_the_extreme_zones(zone, expected):
    # 12:00 UTC is 02:00 next day at UTC+14 and 00:00 the same day at UTC-12.
    moment = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert days.study_day(moment, tz=ZoneInfo(zone), rollover_hour=0) == expected


@pytest.mark.parametrize(
    "zone",
    [
        "America/New_York",
        "Europe/London",
        "Australia/Lord_Howe",
        "Pacific/Kiritimati",
        "Etc/GMT+12",
    ],
)
@pytest.mark.parametrize("rollover", [0, 1, 2, 4])
def test_study_day_advances_by_one_each_day_across_dst(zone, rollover):
    tz = ZoneInfo(zone)
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    day = days.study_day(moment, tz=tz, rollover_hour=rollover)
    changes = 0
    while moment < datetime(2027, 1, 1, tzinfo=UTC):
        moment += timedelta(minutes=30)
        new = days.study_day(moment, tz=tz, rollover_hour=rollover)
        assert new - day in (timedelta(0), timedelta(days=1))
        changes += new != day
        day = new
    assert changes == 365


def test_study_day_requires_an_aware_moment():
    with pytest.raises(ValueError, match="aware"):
        days.study_day(datetime(2026, 1, 1), tz=UTC, rollover_hour=4)

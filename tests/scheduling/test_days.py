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


def test_next_rollover_is_the_start_of_the_next_study_day():
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from cards.scheduling.days import next_rollover, study_day

    london = ZoneInfo("Europe/London")
    evening = datetime(2026, 3, 10, 23, 0, tzinfo=london)
    assert next_rollover(evening, tz=london, rollover_hour=4) == datetime(
        2026, 3, 11, 4, 0, tzinfo=london
    )
    early = datetime(2026, 3, 11, 3, 0, tzinfo=london)  # still the 10th
    assert next_rollover(early, tz=london, rollover_hour=4) == datetime(
        2026, 3, 11, 4, 0, tzinfo=london
    )
    # 01:00 does not exist in London on 29 March 2026 (clocks go 01:00 -> 02:00).
    start = next_rollover(
        datetime(2026, 3, 28, 12, 0, tzinfo=UTC), tz=london, rollover_hour=1
    )
    assert study_day(start, tz=london, rollover_hour=1).isoformat() == "2026-03-29"
    before = start - timedelta(minutes=30)
    assert study_day(before, tz=london, rollover_hour=1).isoformat() == "2026-03-28"

"""When the digest is due: local hours across DST days and the extreme zones."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from cards.reminders.timing import ALL_DAYS, local_date_of, next_send_at

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_the_next_send_is_today_when_the_hour_is_still_ahead():
    assert next_send_at(
        utc(2026, 1, 5, 4), hour=8, weekdays=ALL_DAYS, tz=LONDON
    ) == utc(2026, 1, 5, 8)


def test_the_next_send_is_tomorrow_once_the_hour_has_passed():
    assert next_send_at(
        utc(2026, 1, 5, 8), hour=8, weekdays=ALL_DAYS, tz=LONDON
    ) == utc(2026, 1, 6, 8)


def test_only_the_chosen_weekdays_count():
    saturday_only = 1 << 5
    found = next_send_at(utc(2026, 1, 5, 4), hour=8, weekdays=saturday_only, tz=LONDON)
    assert found == utc(2026, 1, 10, 8) and found.astimezone(LONDON).weekday() == 5


def test_no_day_chosen_means_no_send():
    assert next_send_at(utc(2026, 1, 5), hour=8, weekdays=0, tz=LONDON) is None


@pytest.mark.parametrize(
    ("zone", "after", "hour", "expected_utc", "expected_local"),
    [
        # New York springs forward on 2026-03-08: 02:00 does not exist -> 03:00 EDT.
        ("America/New_York", utc(2026, 3, 8, 0), 2, utc(2026, 3, 8, 7), "03:00-04:00"),
        ("America/New_York", utc(2026, 3, 8, 0), 8, utc(2026, 3, 8, 12), "08:00-04:00"),
        # Falls back on 2026-11-01: 01:00 happens twice -> the first one only.
        (
            "America/New_York",
            utc(2026, 11, 1, 0),
            1,
            utc(2026, 11, 1, 5),
            "01:00-04:00",
        ),
        (
            "America/New_York",
            utc(2026, 11, 1, 0),
            8,
            utc(2026, 11, 1, 13),
            "08:00-05:00",
        ),
        # London springs forward on 2026-03-29 (01:00 skipped), back on 10-25.
        ("Europe/London", utc(2026, 3, 29, 0), 1, utc(2026, 3, 29, 1), "02:00+01:00"),
        ("Europe/London", utc(2026, 3, 29, 0), 8, utc(2026, 3, 29, 7), "08:00+01:00"),
        (
            "Europe/London",
            utc(2026, 10, 24, 22),
            1,
            utc(2026, 10, 25, 0),
            "01:00+01:00",
        ),
        ("Europe/London", utc(2026, 10, 25, 0), 8, utc(2026, 10, 25, 8), "08:00+00:00"),
        # UTC+14 and UTC-12: the local day is a different UTC date.
        (
            "Pacific/Kiritimati",
            utc(2026, 1, 5, 0),
            8,
            utc(2026, 1, 5, 18),
            "08:00+14:00",
        ),
        ("Etc/GMT+12", utc(2026, 1, 5, 0), 8, utc(2026, 1, 5, 20), "08:00-12:00"),
    ],
)
def test_the_local_hour_on_dst_days_and_extreme_zones(
    zone, after, hour, expected_utc, expected_local
):
    found = next_send_at(after, hour=hour, weekdays=ALL_DAYS, tz=ZoneInfo(zone))
    assert found == expected_utc
    assert found.astimezone(ZoneInfo(zone)).strftime("%H:%M%:z") == expected_local


def test_a_repeated_hour_is_sent_once():
    first = next_send_at(utc(2026, 11, 1, 0), hour=1, weekdays=ALL_DAYS, tz=NEW_YORK)
    again = next_send_at(first, hour=1, weekdays=ALL_DAYS, tz=NEW_YORK)
    # After the first 01:00 (EDT) comes the next day's, not the second 01:00 (EST).
    assert (first, again) == (utc(2026, 11, 1, 5), utc(2026, 11, 2, 6))


def test_every_day_of_a_year_gets_one_send_in_each_zone():
    for zone in (
        "America/New_York",
        "Europe/London",
        "Pacific/Kiritimati",
        "Etc/GMT+12",
    ):
        tz = ZoneInfo(zone)
        moment, days = utc(2026, 1, 1), []
        while moment < utc(2027, 1, 1):
            moment = next_send_at(moment, hour=2, weekdays=ALL_DAYS, tz=tz)
            days.append(local_date_of(moment, tz=tz))
        assert len(days) == len(set(days)) >= 365, zone
        assert all((b - a).days == 1 for a, b in zip(days, days[1:], strict=False))


def test_naive_moments_are_refused():
    with pytest.raises(ValueError, match="aware"):
        next_send_at(datetime(2026, 1, 5), hour=8, weekdays=ALL_DAYS, tz=LONDON)

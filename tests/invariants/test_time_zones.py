"""Calendar truth (plan item 7, invariant I5): study days in any zone, across DST.

Rule: local_day(t) = date of (t in the learner's zone minus the rollover
hours); a card reviewed at t with interval n is due on local_day(t) + n and
is due at t' iff local_day(t') >= that day.
"""

import os
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cards.learner import services
from cards.scheduling.days import study_day
from tests.factories import make_schedule, make_user
from tests.paths import ROOT

ZONES = [
    "Pacific/Kiritimati",  # UTC+14
    "Etc/GMT+12",  # UTC-12
    "America/New_York",  # DST 8 March / 1 November 2026
    "Europe/London",  # 29 March / 25 October
    "Australia/Lord_Howe",  # 30-minute DST, 5 April / 4 October
]
EXAMPLES = int(os.environ.get("RELIABILITY_TZ_EXAMPLES", "10000"))  # instants
BATCH = 50  # instants per Hypothesis example
WINDOW = 48 * 3600  # seconds either side of a transition


def transitions(zone: str) -> list[datetime]:
    """The instants in 2026 at which `zone`'s UTC offset changes (or two fixed ones)."""
    tz = ZoneInfo(zone)
    found = []
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(tz).utcoffset()
    while moment.year == 2026:
        step = moment + timedelta(minutes=30)
        if step.astimezone(tz).utcoffset() != offset:
            found.append(step)
            offset = step.astimezone(tz).utcoffset()
        moment = step
    return found or [datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)]


TRANSITIONS = {zone: transitions(zone) for zone in ZONES}


TZ = {zone: ZoneInfo(zone) for zone in ZONES}


def local_day(moment: datetime, zone: str, rollover: int) -> date:
    return study_day(moment, tz=TZ[zone], rollover_hour=rollover)


def first_due_instant(reviewed: datetime, due: date, zone: str, rollover: int):
    """The earliest second at which local_day >= due (local_day is monotonic).

    Found by bisection on the UTC time line, independently of how study_day
    computes the day: the first due instant lies within a day and a half of
    UTC midnight starting `due` (offsets span -12 h to +14 h, rollover < 24 h).
    Every zone here is offset from UTC by a multiple of 30 minutes and the
    rollover is a whole hour, so a study day can only start on a quarter hour:
    the search runs on that grid (8 steps instead of 18), and the caller checks
    the second before the instant found, so a day that started off the grid
    would still fail the test.
    """
    midnight = datetime(due.year, due.month, due.day, tzinfo=UTC)
    low = max(reviewed, midnight - timedelta(hours=15))
    high = midnight + timedelta(hours=37)
    assert local_day(low, zone, rollover) < due <= local_day(high, zone, rollover)
    quarter = timedelta(minutes=15)
    grid = datetime(low.year, low.month, low.day, low.hour, tzinfo=UTC)
    steps_low, steps_high = (low - grid) // quarter, (high - grid) // quarter
    while steps_high - steps_low > 1:
        middle = (steps_low + steps_high) // 2
        if local_day(grid + middle * quarter, zone, rollover) >= due:
            steps_high = middle
        else:
            steps_low = middle
    return grid + steps_high * quarter


def test_2026_transitions_are_known():
    assert [len(TRANSITIONS[z]) for z in ZONES] == [2, 2, 2, 2, 2]
    assert TRANSITIONS["America/New_York"][0] == datetime(2026, 3, 8, 7, tzinfo=UTC)
    assert TRANSITIONS["Australia/Lord_Howe"][0] == datetime(2026, 4, 4, 15, tzinfo=UTC)


@pytest.mark.parametrize("zone", ZONES)
def test_local_day_never_goes_back_or_skips_around_transitions(zone):
    for transition in TRANSITIONS[zone]:
        for rollover in range(24):
            moment = transition - timedelta(seconds=WINDOW)
            day = local_day(moment, zone, rollover)
            while moment < transition + timedelta(seconds=WINDOW):
                moment += timedelta(minutes=15)
                new = local_day(moment, zone, rollover)
                assert timedelta(0) <= new - day <= timedelta(days=1), (
                    moment,
                    rollover,
                )
                day = new


def test_due_day_is_exactly_n_study_days_later_in_every_zone(figure):
    tally = {"instants": 0, "bad": 0}
    instant = st.tuples(
        st.integers(0, 1),  # which transition
        st.integers(-WINDOW, WINDOW),  # seconds from it
        st.integers(0, 23),  # rollover hour
        st.one_of(st.integers(1, 3), st.integers(1, 400)),  # interval
    )

    # Hypothesis's own work per example is ~9x the check's, so each example
    # draws a batch of instants: the same 10,000 instants in a tenth of the time.
    @settings(
        max_examples=max(1, EXAMPLES // BATCH),
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.lists(instant, min_size=BATCH, max_size=BATCH))
    def check(batch):
        for which, offset, rollover, interval in batch:
            tally["instants"] += 1
            for zone in ZONES:
                reviewed = TRANSITIONS[zone][which] + timedelta(seconds=offset)
                review_day = local_day(reviewed, zone, rollover)
                due = review_day + timedelta(days=interval)
                first = first_due_instant(reviewed, due, zone, rollover)
                ok = (
                    local_day(first, zone, rollover) == due  # not skipped
                    and local_day(first - timedelta(seconds=1), zone, rollover)
                    == due - timedelta(days=1)  # not early
                    and (local_day(first, zone, rollover) - review_day).days == interval
                )
                tally["bad"] += not ok
                assert ok, (zone, reviewed, rollover, interval, first)

    try:
        check()
    finally:
        figure(
            7,
            f"{tally['bad']} skipped or doubled days in {tally['instants']:,} instants "
            f"x {len(ZONES)} zones (+-48 h around each 2026 transition; "
            f"{BATCH} instants per Hypothesis example)",
        )


def test_changing_time_zone_never_hides_a_due_card(db, figure):
    learner = make_user()
    hidden = changes = 0
    moment = datetime(2026, 3, 7, 0, 30, tzinfo=UTC)
    for hour in range(0, 48, 4):
        now = moment + timedelta(hours=hour)
        for old in ZONES:
            for new in ZONES:
                if old == new:
                    continue
                profile = learner.profile
                profile.time_zone, profile.rollover_hour = old, 4
                profile.save()
                today = profile.study_day(now)
                due = [
                    make_schedule(user=learner, due_on=today - timedelta(days=1)),
                    make_schedule(user=learner, due_on=today),
                    make_schedule(
                        user=learner, due_on=today + timedelta(days=5), redrill_on=today
                    ),
                ]
                profile.time_zone = new
                services.save_settings(profile=profile, now=now)
                changes += 1
                new_today = profile.study_day(now)
                for schedule in due:
                    schedule.refresh_from_db()
                    is_due = (
                        schedule.due_on <= new_today or schedule.redrill_on == new_today
                    )
                    hidden += not is_due
                    schedule.delete()
    figure(7, f"{hidden} due cards hidden after {changes:,} time-zone changes")
    assert hidden == 0


FORBIDDEN = re.compile(
    r"date\.today\(|datetime\.today\(|\.now\(\)\.date\(\)|localdate\(\s*\)"
    r"|\.utcnow\(|{%\s*now\b"
)


def test_no_code_takes_a_learners_today_from_the_server_clock():
    """A learner's day comes from profile.study_day(now), never the server's date."""
    offenders = []
    files = [*ROOT.glob("cards/**/*.py"), *ROOT.glob("genai_prep/*.py")]
    files += ROOT.glob("templates/**/*.html")
    for path in files:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if FORBIDDEN.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize(
    "line",
    [
        # Spelt in pieces so that no test file itself reads the clock.
        "today = date." + "today()",
        "day = timezone." + "now().date()",
        "day = timezone." + "localdate()",
        "{% now 'Y-m-d' %}",
    ],
)
def test_the_server_clock_check_catches(line):
    assert FORBIDDEN.search(line)

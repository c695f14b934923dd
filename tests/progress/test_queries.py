"""Database aggregation for the progress page, on a history built by hand.

The learner lives in New York with the default 04:00 rollover; the history
crosses the start of daylight saving time (Sunday 8 March 2026, 02:00 -> 03:00)
and has answers between midnight and the rollover, which belong to the study
day before. Grouping by UTC date, or by local calendar date, would give other
figures than the ones below, all computed by hand.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cards import progress
from cards.models import Level, ReviewLog
from cards.progress import queries as stats
from cards.review import services
from tests.factories import make_question, make_schedule, make_user

MAR = 3


def utc(d: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, MAR, d, hour, minute, tzinfo=UTC)


def answer(user, question, grade, when, *, version, ms):
    return services.record_review(
        user=user,
        question=question,
        grade=grade,
        version=version,
        now=when,
        duration_ms=ms,
    )


@pytest.fixture
def history(db):
    user = make_user(username="nyc", time_zone="America/New_York", rollover_hour=4)
    q1 = make_question(level=Level.BASIC)
    q2 = make_question(level=Level.INTERMEDIATE)
    q3 = make_question(level=Level.ADVANCED)
    q4 = make_question(level=Level.BASIC)  # never answered: new
    q5 = make_question(level=Level.ADVANCED)  # answered, then retired
    q6 = make_question(level=Level.BASIC)
    q7 = make_question(level=Level.INTERMEDIATE)
    # Friday 6 March, EST (UTC-5).
    answer(user, q1, 4, utc(6, 19), version=0, ms=30_000)  # 14:00 local
    answer(user, q6, 4, utc(6, 19, 5), version=0, ms=25_000)
    # Saturday 03:30 and 03:40 local: still study day Friday 6 March.
    answer(user, q2, 2, utc(7, 8, 30), version=0, ms=20_000)
    answer(user, q2, 4, utc(7, 8, 40), version=1, ms=10_000)  # re-drill
    # Sunday 8 March 03:30 EDT (UTC-4, an hour after the change): study day 7 March.
    answer(user, q1, 5, utc(8, 7, 30), version=1, ms=15_000)
    # Sunday 04:30 EDT onwards: study day 8 March.
    answer(user, q2, 3, utc(8, 8, 30), version=2, ms=12_000)  # passes, re-drill
    answer(user, q6, 1, utc(8, 9), version=1, ms=8_000)  # a lapse
    answer(user, q3, 5, utc(8, 13), version=0, ms=40_000)
    answer(user, q5, 4, utc(8, 13, 5), version=0, ms=None)
    q5.is_active = False
    q5.save()
    make_schedule(
        user=user,
        question=q7,
        due_on=date(2026, 3, 1),
        repetitions=3,
        interval_days=25,
        ease="2.50",
    )
    # Another learner's answers on the same days must never be counted.
    other = make_user(username="other")
    answer(other, q1, 1, utc(8, 12), version=0, ms=99_000)
    answer(other, q4, 5, utc(6, 12), version=0, ms=99_000)
    make_schedule(user=other, question=q3, due_on=date(2026, 3, 8))
    return user


# Sunday 8 March, 20:00 EDT: already Monday 9 March in UTC, still study day 8 March.
NOW = utc(9, 0)
TODAY = date(2026, 3, 8)


def test_study_days_follow_zone_and_rollover_across_dst(history):
    assert history.profile.study_day(NOW) == TODAY
    by_time = dict(
        ReviewLog.objects.filter(user=history).values_list("reviewed_at", "study_day")
    )
    assert by_time[utc(7, 8, 30)] == date(2026, 3, 6)  # Sat 03:30 EST
    assert by_time[utc(8, 7, 30)] == date(2026, 3, 7)  # Sun 03:30 EDT
    assert by_time[utc(8, 8, 30)] == date(2026, 3, 8)  # Sun 04:30 EDT


def test_daily_activity_by_hand(history):
    assert stats.daily_activity(history) == (
        progress.DayActivity(
            date(2026, 3, 6), reviews=4, new=3, again=1, good=3, ms=85_000
        ),
        progress.DayActivity(
            date(2026, 3, 7), reviews=1, easy=1, scheduled=1, passed=1, ms=15_000
        ),
        progress.DayActivity(
            date(2026, 3, 8),
            reviews=4,
            new=2,
            again=1,
            hard=1,
            good=1,
            easy=1,
            scheduled=2,
            passed=1,
            ms=60_000,
        ),
    )


def test_cards_by_level_by_hand(history):
    basic, inter, adv = stats.cards_by_level(history, today=TODAY)
    # Basic: q1 young (6-day interval), q6 learning (lapsed, re-drilling), q4 new.
    assert basic == progress.LevelCards(
        1,
        "Basic",
        3,
        learning=1,
        young=1,
        ease=Decimal("2.28"),
        lapses=1,
        redrilling=1,
    )
    # Intermediate: q2 learning (re-drilling today), q7 mature and overdue.
    assert inter == progress.LevelCards(
        2,
        "Intermediate",
        2,
        learning=1,
        mature=1,
        ease=Decimal("2.27"),
        overdue=1,
        redrilling=1,
    )
    # Advanced: q3 learning; q5 is retired and counted nowhere.
    assert adv == progress.LevelCards(
        3, "Advanced", 1, learning=1, ease=Decimal("2.60")
    )
    assert (basic.new, inter.new, adv.new) == (1, 0, 0)


def test_due_by_day_folds_overdue_into_today(history):
    # q7 was due on 1 March; q2, q3 and q6 fall due on 9 March; q1 on 13 March.
    assert stats.due_by_day(history, today=TODAY, days=30) == {
        TODAY: 1,
        date(2026, 3, 9): 3,
        date(2026, 3, 13): 1,
    }
    assert stats.due_by_day(history, today=TODAY, days=5) == {
        TODAY: 1,
        date(2026, 3, 9): 3,
    }


def test_ease_counts_by_hand(history):
    assert stats.ease_counts(history) == (
        (Decimal("1.96"), 1),
        (Decimal("2.04"), 1),
        (Decimal("2.50"), 1),
        (Decimal("2.60"), 2),
    )


def test_page_figures_from_the_database_by_hand(history):
    page = progress.build_page(stats.snapshot(history, today=TODAY), span=30)
    f = page.figures
    assert (f.due_today, f.overdue, f.redrilling, f.due_tomorrow) == (3, 1, 2, 3)
    assert (f.reviewed_today, f.new_today, f.total_reviews) == (4, 2, 9)
    assert (f.streak, f.longest_streak) == (3, 3)
    assert (f.retention_passed, f.retention_scheduled, f.retention) == (2, 3, "67%")
    assert (f.time_today, f.time_week) == ("1 min", "3 min")
    assert page.mastery.total.learning == 3 and page.mastery.total.mature == 1
    assert page.activity.reviews.table.rows[27] == (
        "Fri 6 Mar 2026",
        "1",
        "0",
        "3",
        "0",
        "4",
    )


def test_the_same_history_seen_the_next_morning(history):
    # Monday 9 March 03:59 EDT is still study day 8 March; 04:00 starts the 9th.
    assert history.profile.study_day(utc(9, 7, 59)) == TODAY
    monday = history.profile.study_day(utc(9, 8))
    assert monday == date(2026, 3, 9)
    f = progress.build_page(stats.snapshot(history, today=monday)).figures
    # Yesterday's re-drills are over; q2, q3, q6 due today plus overdue q7.
    assert (f.due_today, f.redrilling, f.overdue, f.reviewed_today) == (4, 0, 1, 0)
    assert (f.streak, f.studied_today) == (3, False)


def test_a_learner_without_history_gets_empty_rows(user, questions):
    snap = stats.snapshot(user, today=TODAY)
    assert snap.days == () and snap.due == {} and snap.eases == ()
    assert [lv.new for lv in snap.levels] == [3, 3, 4]

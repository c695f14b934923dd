"""A new time zone or rollover hour waits for the next rollover (issue 14, item 7)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cards.models import LearnerProfile, Question, ReviewLog
from cards.review import queue, services
from tests.factories import make_question, make_user

LONDON = ZoneInfo("Europe/London")
EVENING = datetime(2026, 3, 10, 21, 0, tzinfo=LONDON)  # study day 10 March
SETTINGS = {"new_cards_per_day": "2", "reviews_per_day": "200", "grade_scale": "four"}


def _go(clock, moment):
    clock.shift(seconds=(moment - clock.now).total_seconds())


def _profile(user) -> LearnerProfile:
    return LearnerProfile.objects.get(user=user)


def _queue(user, now):
    return queue.snapshot(user=user, profile=_profile(user), now=now)


def _answer_what_is_left(user, now) -> int:
    """Answer Good to every card the queue offers now; how many there were."""
    answered = 0
    while (card := _queue(user, now).card) is not None:
        services.record_review(
            user=user,
            question=Question.objects.get(pk=card.question_id),
            grade=4,
            version=card.version,
            now=now,
        )
        answered += 1
    return answered


@pytest.fixture
def learner(db):
    user = make_user(
        username="nightowl", time_zone="Europe/London", new_cards_per_day=2
    )
    for _ in range(12):
        make_question()
    return user


def test_one_evening_of_changes_gives_no_extra_day_limits_or_streak(
    client, learner, clock
):
    _go(clock, EVENING)
    client.force_login(learner)
    assert _answer_what_is_left(learner, clock.now) == 2  # today's two new cards
    # Each change would on its own start "tomorrow" at once: Tokyo is already
    # at 06:00 on the 11th, Kiritimati at 11:00, and a rollover at 20:00 has
    # passed in London.
    changes = [
        {"time_zone": "Asia/Tokyo", "rollover_hour": "4"},
        {"time_zone": "Pacific/Kiritimati", "rollover_hour": "0"},
        {"time_zone": "Europe/London", "rollover_hour": "20"},
    ]
    for change in changes:
        clock.shift(minutes=30)
        r = client.post(reverse("cards:settings"), {**SETTINGS, **change}, follow=True)
        assert r.status_code == 200
        assert "will apply from tomorrow" in r.text
        snapshot = _queue(learner, clock.now)
        assert (snapshot.today, snapshot.new_left) == (date(2026, 3, 10), 0)
        assert _answer_what_is_left(learner, clock.now) == 0

    days = set(ReviewLog.objects.for_user(learner).values_list("study_day", flat=True))
    assert days == {date(2026, 3, 10)}  # one study day, so one streak day

    # The evening ends at 04:00 London (the rollover in force); from then on
    # the last choice applies: London, a day starting at 20:00.
    _go(clock, datetime(2026, 3, 11, 3, 59, tzinfo=LONDON))
    assert _queue(learner, clock.now).today == date(2026, 3, 10)
    _go(clock, datetime(2026, 3, 11, 4, 0, tzinfo=LONDON))
    assert _queue(learner, clock.now).today == date(2026, 3, 10)  # 04:00 < 20:00
    _go(clock, datetime(2026, 3, 11, 20, 0, tzinfo=LONDON))
    snapshot = _queue(learner, clock.now)
    assert (snapshot.today, snapshot.new_left) == (date(2026, 3, 11), 2)


def test_settings_say_from_tomorrow_and_show_the_choice(client, learner, clock):
    _go(clock, EVENING)
    client.force_login(learner)
    _answer_what_is_left(learner, clock.now)
    client.post(
        reverse("cards:settings"),
        {**SETTINGS, "time_zone": "Asia/Tokyo", "rollover_hour": "4"},
    )
    page = client.get(reverse("cards:settings")).text
    assert "Your new time zone (Asia/Tokyo) will apply from tomorrow" in page
    assert "11 Mar 04:00 Europe/London time" in page
    assert 'id="id_time_zone" value="Asia/Tokyo"' in page
    profile = _profile(learner)
    assert (profile.time_zone, profile.pending_time_zone) == (
        "Europe/London",
        "Asia/Tokyo",
    )
    # Changing back before tomorrow cancels it.
    client.post(
        reverse("cards:settings"),
        {**SETTINGS, "time_zone": "Europe/London", "rollover_hour": "4"},
    )
    profile = _profile(learner)
    assert (profile.time_zone, profile.pending_from) == ("Europe/London", None)


def test_a_learner_who_never_answered_changes_at_once(client, learner, clock):
    _go(clock, EVENING)
    client.force_login(learner)
    client.post(
        reverse("cards:settings"),
        {**SETTINGS, "time_zone": "Asia/Tokyo", "rollover_hour": "4"},
    )
    profile = _profile(learner)
    assert (profile.time_zone, profile.pending_from) == ("Asia/Tokyo", None)
    assert profile.study_day(clock.now) == date(2026, 3, 11)


def test_the_next_save_stores_settings_whose_time_has_come(client, learner, clock):
    _go(clock, EVENING)
    client.force_login(learner)
    _answer_what_is_left(learner, clock.now)
    client.post(
        reverse("cards:settings"),
        {**SETTINGS, "time_zone": "Asia/Tokyo", "rollover_hour": "4"},
    )
    clock.shift(days=2)
    client.post(
        reverse("cards:settings"),
        {**SETTINGS, "time_zone": "Asia/Tokyo", "rollover_hour": "4"}
        | {"new_cards_per_day": "3"},
    )
    profile = _profile(learner)
    assert (profile.time_zone, profile.pending_from, profile.new_cards_per_day) == (
        "Asia/Tokyo",
        None,
        3,
    )

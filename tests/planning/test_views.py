"""The plan over HTTP: the dashboard, Settings, the forms (PRG) and the previews."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from cards.models import InterviewPlan, ReviewKind, ReviewSchedule, StudyBreak
from cards.planning import services
from tests.factories import make_log, make_question, make_schedule, make_user

HTMX = {"HX-Request": "true"}


@pytest.fixture
def today(user, clock):
    return user.profile.study_day(clock.now)


def _set(client, on, **extra):
    data = {"interview_on": on.isoformat(), "back": "home", **extra}
    return client.post(reverse("cards:plan_interview"), data)


def test_setting_a_date_shows_the_plan_on_the_dashboard(logged_in_client, today):
    for level in (1, 2, 3):
        for _ in range(4):
            make_question(level=level)
    r = _set(logged_in_client, today + timedelta(days=20), levels=["1", "2"])
    assert r.status_code == 302 and r.url == reverse("home")
    page = logged_in_client.get(reverse("home")).text
    assert "20 days to your interview." in page
    assert "On track" in page or "Not on track" in page
    assert "Today&#x27;s plan:" in page or "Today's plan:" in page
    assert re.search(r"recall about <strong>\d+%</strong>", page)
    assert '<th scope="row">Basic</th>' in page
    assert '<th scope="row">Intermediate</th>' in page
    assert '<th scope="row">Advanced</th>' not in page


def test_a_date_in_the_past_is_refused_with_a_clear_message(logged_in_client, today):
    r = _set(logged_in_client, today - timedelta(days=1))
    assert r.status_code == 400
    assert "is in the past. Choose today or a later day." in r.text
    assert not InterviewPlan.objects.exists()


def test_an_infeasible_plan_says_what_would_fit(logged_in_client, today):
    for _ in range(160):
        make_question()
    _set(logged_in_client, today + timedelta(days=14), minutes_per_day="10")
    page = logged_in_client.get(reverse("home")).text
    found = re.search(
        r"At 10 minutes a day you will cover (\d+)% of the chosen questions; "
        r"at (\d+) you will cover all of them\.",
        page,
    )
    assert found and int(found[1]) < 100 and int(found[2]) > 10
    assert "Not on track" in page


def test_a_short_runway_warns_a_learner_slow_on_new_questions(
    logged_in_client, user, clock, today
):
    # Their own answer times (76 s a new question, 18 s a review), on a card
    # of another level than the interview's: over 3 days 10 minutes cover the
    # work, but day one fits 6 of the 10 new questions and 4 would be left to
    # the run-up's last day, where a card gets one review before the day.
    schedule = make_schedule(user=user, question=make_question(level=3))
    for i, (kind, ms) in enumerate(
        [(ReviewKind.NEW, 76_000)] * 5 + [(ReviewKind.REVIEW, 18_000)] * 5
    ):
        make_log(
            schedule=schedule,
            kind=kind,
            reviewed_at=clock.now - timedelta(days=1, minutes=i),
            study_day=today - timedelta(days=1),
            duration_ms=ms,
            from_version=i,
        )
    for _ in range(10):
        make_question(level=1)
    _set(
        logged_in_client, today + timedelta(days=3), levels=["1"], minutes_per_day="10"
    )
    page = logged_in_client.get(reverse("home")).text
    assert (
        "At 10 minutes a day you will cover 80% of the chosen questions; "
        "at 15 you will cover all of them." in page
    )
    assert "Not on track" in page


def test_clearing_the_date_returns_to_normal(logged_in_client, user, today):
    _set(logged_in_client, today + timedelta(days=5))
    r = logged_in_client.post(reverse("cards:plan_clear"), {"back": "settings"})
    assert r.status_code == 302 and r.url == reverse("cards:settings")
    assert InterviewPlan.objects.get(user=user).interview_on is None
    page = logged_in_client.get(reverse("cards:settings")).text
    assert 'id="interview-plan"' in page and "Interview date" in page


def test_the_buttons_preview_the_capped_interval(logged_in_client, user, today):
    schedule = make_schedule(user=user, due_on=today, repetitions=3, interval_days=20)
    url = reverse("cards:reveal", args=[schedule.question_id])
    free = logged_in_client.get(url, {"version": 2}, headers=HTMX).text
    assert "Perfect, effortless recall: next in 1.6 months" in free
    _set(logged_in_client, today + timedelta(days=10))
    capped = logged_in_client.get(url, {"version": 2}, headers=HTMX).text
    days = int(re.search(r"Perfect, effortless recall: next in (\d+) days", capped)[1])
    assert 1 <= days <= 9
    logged_in_client.post(
        reverse("cards:grade", args=[schedule.question_id]),
        {"grade": 5, "version": 2, "shown_at": "1"},
    )
    schedule.refresh_from_db()
    assert schedule.due_on == today + timedelta(days=days)


def test_the_pace_note_appears_on_the_dashboard(logged_in_client, user, today):
    for _ in range(80):
        make_question()
    user.profile.new_cards_per_day = 1
    user.profile.save()
    _set(logged_in_client, today + timedelta(days=10))
    page = logged_in_client.get(reverse("home")).text
    assert "Your interview plan sets today&#x27;s new questions to" in page
    assert "instead of your daily limit of 1." in page
    assert "within the plan&#x27;s limit" not in page  # nothing was moved


def test_planning_a_break_from_the_dashboard(logged_in_client, user, today):
    make_schedule(user=user, due_on=today + timedelta(days=3))
    r = logged_in_client.post(
        reverse("cards:plan_break"),
        {
            "starts_on": (today + timedelta(days=2)).isoformat(),
            "ends_on": (today + timedelta(days=4)).isoformat(),
            "back": "home",
        },
    )
    assert r.status_code == 302
    assert StudyBreak.objects.filter(user=user).count() == 1
    due = ReviewSchedule.objects.get(user=user).due_on
    assert not today + timedelta(days=2) <= due <= today + timedelta(days=4)
    page = logged_in_client.get(reverse("home"), follow=True).text
    assert "1 card moved to the days around it" in page


def test_a_bad_break_is_refused_and_writes_nothing(logged_in_client, today):
    r = logged_in_client.post(
        reverse("cards:plan_break"),
        {
            "starts_on": (today + timedelta(days=4)).isoformat(),
            "ends_on": (today + timedelta(days=2)).isoformat(),
        },
    )
    assert r.status_code == 400
    assert "The last day away is before the first." in r.text
    assert not StudyBreak.objects.exists()


def test_nobody_removes_another_learners_break(logged_in_client, other_user, clock):
    day = other_user.profile.study_day(clock.now)
    away, _ = services.plan_break(
        user=other_user, starts_on=day, ends_on=day, now=clock.now
    )
    r = logged_in_client.post(reverse("cards:plan_break_cancel", args=[away.pk]))
    assert r.status_code == 404
    assert StudyBreak.objects.filter(pk=away.pk).exists()


def test_a_backlog_is_offered_and_spread_on_request(logged_in_client, user, today):
    for d in range(90):
        make_schedule(user=user, due_on=today - timedelta(days=1 + d % 7))
    page = logged_in_client.get(reverse("home")).text
    # The usual day is 20 (no history yet); each day is filled to 70% of it.
    assert "90 cards are due. Spread them over 7 days" in page
    r = logged_in_client.post(
        reverse("cards:plan_backlog"), {"days": 7, "back": "home"}
    )
    assert r.status_code == 302
    assert ReviewSchedule.objects.filter(user=user, due_on__lte=today).count() == 13
    assert ReviewSchedule.objects.filter(user=user).count() == 90


@pytest.mark.parametrize("name", ["cards:plan_interview", "cards:plan_backlog"])
def test_the_forms_need_a_login(client, name):
    r = client.post(reverse(name), {})
    assert r.status_code == 302 and "login" in r.url


def test_the_plan_page_lists_breaks_only_of_the_learner(logged_in_client, user, clock):
    day = user.profile.study_day(clock.now)
    other = make_user(username="carol")
    services.plan_break(
        user=other,
        starts_on=day + timedelta(days=9),
        ends_on=day + timedelta(days=9),
        now=clock.now,
    )
    services.plan_break(
        user=user,
        starts_on=day + timedelta(days=3),
        ends_on=day + timedelta(days=4),
        now=clock.now,
    )
    page = logged_in_client.get(reverse("cards:plan")).text
    assert page.count("Remove the break from") == 1


def test_the_dashboard_says_which_reviews_todays_plan_moved(
    logged_in_client, user, today
):
    # Due today whatever the plan did (a review failed yesterday, a new card's
    # second answer) and a 12-day review that can wait: today's plan moves it.
    make_schedule(user=user, due_on=today, repetitions=0, interval_days=1)
    make_schedule(user=user, due_on=today, repetitions=1, interval_days=1)
    make_schedule(user=user, due_on=today, repetitions=3, interval_days=12)
    _set(logged_in_client, today + timedelta(days=60))
    page = logged_in_client.get(reverse("home")).text  # makes today's plan
    tomorrow = today + timedelta(days=1)
    named = f"{tomorrow:%A} {tomorrow.day} {tomorrow:%B}"
    assert (
        "To keep today within the plan&#x27;s limit, 1 review due today moved to "
        f"{named}, while you are still predicted to recall it."
    ) in page


def test_the_plan_page_does_not_link_to_itself(logged_in_client):
    plan_url = reverse("cards:plan")
    assert f'href="{plan_url}"' in logged_in_client.get(reverse("home")).text
    page = logged_in_client.get(plan_url).text
    assert "Set the date, plan a break" not in page


def test_the_buttons_preview_a_due_day_after_a_planned_break(
    logged_in_client, user, today, clock
):
    schedule = make_schedule(user=user, due_on=today, repetitions=2, interval_days=6)
    url = reverse("cards:reveal", args=[schedule.question_id])
    free = logged_in_client.get(url, {"version": 2}, headers=HTMX).text
    natural = int(re.search(r"effortless recall: next in (\d+) days", free)[1])
    # Away around the day it would fall due, the days before it full, the
    # days after empty: it waits for the break's end (plan.away_cap).
    for d in range(natural - 8, natural - 1):
        make_schedule(user=user, due_on=today + timedelta(days=d))
        make_schedule(user=user, due_on=today + timedelta(days=d))
    services.plan_break(
        user=user,
        starts_on=today + timedelta(days=natural - 1),
        ends_on=today + timedelta(days=natural + 1),
        now=clock.now,
    )
    later = logged_in_client.get(url, {"version": 2}, headers=HTMX).text
    assert f"Perfect, effortless recall: next in {natural + 2} days" in later
    logged_in_client.post(
        reverse("cards:grade", args=[schedule.question_id]),
        {"grade": 5, "version": 2, "shown_at": "1"},
    )
    schedule.refresh_from_db()
    assert schedule.due_on == today + timedelta(days=natural + 2)
    assert schedule.interval_days == natural  # the scheduler's own state

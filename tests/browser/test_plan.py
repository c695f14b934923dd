"""End to end in Chromium: set an interview date, see the plan, plan a break (1280 and 375 px)."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from cards.models import Level, ReviewSchedule, StudyBreak
from tests.clock import frozen_moment
from tests.factories import PASSWORD, make_question, make_schedule, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def learner():
    user = make_user(username="planner")
    for level in Level.values:
        for _ in range(5):
            make_question(level=level)
    today = user.profile.study_day(frozen_moment())
    for d in range(1, 9):
        make_schedule(user=user, due_on=today + timedelta(days=d))
    return user, today


def log_in(page, live_app):
    page.goto(live_app.url + "/accounts/login/")
    page.get_by_label("Username").fill("planner")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


@pytest.mark.parametrize("width", [1280, 375])
def test_set_a_date_see_the_plan_and_plan_a_break(
    page, live_app, console_errors, screenshot, learner, width
):
    user, today = learner
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_app)

    # A date in the past is refused, with the reason, and nothing is saved.
    page.get_by_label("Interview date").fill((today - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Save the interview date").click()
    expect(
        page.get_by_text("is in the past. Choose today or a later day.")
    ).to_be_visible()

    page.goto(live_app.url + "/")
    page.get_by_label("Interview date").fill((today + timedelta(days=21)).isoformat())
    page.get_by_label("Basic").check()
    page.get_by_label("Intermediate").check()
    page.get_by_label("Minutes a day you can give").fill("20")
    page.get_by_role("button", name="Save the interview date").click()
    expect(page.get_by_role("status")).to_contain_text("Interview date set")
    plan = page.locator(".plan-summary")
    expect(plan).to_contain_text("21 days to your interview.")
    expect(plan.locator(".plan-status")).to_have_text("On track")
    expect(plan).to_contain_text("Today's plan:")
    expect(plan.get_by_role("row", name="Basic")).to_be_visible()
    expect(plan.get_by_role("row", name="Intermediate")).to_be_visible()
    expect(plan.get_by_role("row", name="Advanced")).to_have_count(0)
    expect(plan).to_contain_text("At 20 minutes a day you will cover all")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"01-plan-{width}")

    # Plan a break from the dashboard, by keyboard.
    page.get_by_text("I'm away for a while: plan a break").focus()
    page.keyboard.press("Enter")
    page.get_by_label("I'm away from").fill((today + timedelta(days=3)).isoformat())
    page.get_by_label("to (last day away)").fill(
        (today + timedelta(days=5)).isoformat()
    )
    page.get_by_role("button", name="Plan the break").click()
    expect(page.get_by_role("status")).to_contain_text("moved to the days around it")
    assert StudyBreak.objects.filter(user=user).count() == 1
    away = (today + timedelta(days=3), today + timedelta(days=5))
    assert not ReviewSchedule.objects.filter(user=user, due_on__range=away).exists()

    # Settings holds the same forms in the plan's own section.
    page.get_by_role("link", name="Settings").click()
    expect(page.locator("#interview-plan")).to_be_visible()
    expect(page.get_by_label("Interview date")).to_have_value(
        (today + timedelta(days=21)).isoformat()
    )
    expect(page.get_by_role("button", name="Remove the break from")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.emulate_media(color_scheme="dark")
    screenshot(f"02-settings-dark-{width}")
    page.emulate_media(color_scheme="light")

    # Clearing the date goes back to normal; nothing is lost.
    before = list(ReviewSchedule.objects.filter(user=user).values("due_on", "state"))
    page.goto(live_app.url + "/")
    page.get_by_role("button", name="Clear the interview date").click()
    expect(page.get_by_role("status")).to_contain_text("nothing was lost")
    after = list(ReviewSchedule.objects.filter(user=user).values("due_on", "state"))
    assert after == before
    # The one 400 is the refused past date (a form error is a 400, by design).
    assert [e for e in console_errors if "status of 400" not in e] == []
    assert len(console_errors) == 1

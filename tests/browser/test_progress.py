"""End to end in Chromium: the progress page over a year of demo history."""

import re

import pytest
from playwright.sync_api import expect

from cards.learner import demo
from tests.clock import frozen_moment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_learner(questions):
    demo.seed(now=frozen_moment())


def log_in(page, live_app):
    page.goto(live_app.url + "/accounts/login/?next=/progress/")
    page.get_by_label("Username").fill(demo.USERNAME)
    page.get_by_label("Password").fill(demo.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress")


def test_progress_page_with_demo_history(
    page, live_app, console_errors, screenshot, demo_learner
):
    page.set_viewport_size({"width": 1200, "height": 900})
    log_in(page, live_app)
    expect(page.locator("#activity h2")).to_have_text("Activity in the last 30 days")
    assert page.locator("#reviews-chart .bars > g").count() == 30
    assert page.locator(".chart-wide rect.heat-streak").count() >= 21
    # Each bar names its day; at the rollover hour today has no answers yet.
    titles = page.locator("#reviews-chart .bars > g > title").all_text_contents()
    assert all(re.match(r"\w{3} \d+ \w{3}: ", title) for title in titles)
    assert any(re.search(r": \d+ reviews? \(", title) for title in titles[-3:])
    screenshot("01-desktop-30-days")

    # The range switch swaps the section in place (no reload) and keeps focus.
    page.evaluate("window.notReloaded = true")
    page.locator("#range-365").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#activity h2")).to_have_text("Activity in the last year")
    expect(page).to_have_url(re.compile(r"/progress/\?days=365$"))
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.id") == "range-365"
    assert page.locator("#reviews-chart .bars > g").count() == 365
    expect(page.locator("#range-365")).to_have_attribute("aria-current", "true")

    # Back restores the previous range from htmx's history cache.
    page.get_by_role("link", name="90 days").click()
    expect(page.locator("#activity h2")).to_have_text("Activity in the last 90 days")
    page.go_back()
    expect(page.locator("#activity h2")).to_have_text("Activity in the last year")
    screenshot("02-desktop-1-year")

    page.emulate_media(color_scheme="dark")
    screenshot("03-desktop-dark")
    page.emulate_media(color_scheme="light")

    # A phone: nothing wider than the screen; the calendar scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    page.get_by_role("link", name="30 days").click()
    expect(page.locator("#activity h2")).to_have_text("Activity in the last 30 days")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator(".scroll-x").evaluate("e => e.scrollWidth > e.clientWidth")
    screenshot("04-phone")
    assert console_errors == []

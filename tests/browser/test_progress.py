"""End to end in Chromium: the progress page over a year of demo history."""

import re

import pytest
from playwright.sync_api import expect

from cards.learner import demo
from tests.browser.test_accessibility import (
    COLOUR_RULES,
    SCHEMES,
    WIDTHS,
    axe_violations,
)
from tests.clock import frozen_moment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_learner(questions):
    # 160 demo questions, not 300: still a year with a 25-day streak, in two
    # thirds of the seeding time (30 s, 70 s under coverage, for the full bank).
    demo.seed(now=frozen_moment(), questions=160)


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
    # The bars: one path per grade; the calendar's streak: one path per colour.
    assert page.locator("#reviews-chart .bars > path").count() >= 3
    streak = page.locator(".chart-wide path.heat-streak").evaluate_all(
        "ps => ps.map(p => p.getAttribute('d').split('M').length - 1)"
    )
    assert sum(streak) >= 21
    # The numbers behind a disclosure, opened from the keyboard: a row per day,
    # named by its day; at the rollover hour today has no answers yet.
    numbers = page.locator("#reviews-chart details.chart-data")
    table = numbers.locator("table")
    expect(table).to_be_hidden()
    numbers.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    days = table.locator("tbody th").all_text_contents()
    assert len(days) == 30
    assert all(re.match(r"\w{3} \d+ \w{3} \d{4}$", day) for day in days)
    totals = table.locator("tbody td:last-child").all_text_contents()
    assert any(int(n) > 0 for n in totals[-3:])
    screenshot("01-desktop-30-days")

    # The range switch swaps the section in place (no reload) and keeps focus.
    page.evaluate("window.notReloaded = true")
    page.locator("#range-365").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#activity h2")).to_have_text("Activity in the last year")
    expect(page).to_have_url(re.compile(r"/progress/\?days=365$"))
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.id") == "range-365"
    # A year's table has a row per month (12 or 13 months touched).
    months = page.locator("#reviews-chart details.chart-data tbody th")
    assert months.count() in (12, 13)
    assert re.match(r"[A-Z][a-z]+ \d{4}$", months.first.text_content())
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
    every_table_of_numbers_passes_axe_when_open(page, live_app, console_errors)


def every_table_of_numbers_passes_axe_when_open(page, live_app, console_errors):
    """Part of the test above: the year of demo history takes 30-70 s to seed."""
    page.goto(live_app.url + "/progress/?days=365")
    summaries = page.locator("details.chart-data > summary")
    assert summaries.count() == 6
    for i in range(summaries.count()):
        summaries.nth(i).click()
    assert page.locator("details.chart-data[open]").count() == 6
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        if width == 375:  # the open tables scroll inside their charts
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
            rules = COLOUR_RULES if scheme == "dark" else None
            if violations := axe_violations(page, rules):
                found[f"{width}px {scheme}"] = violations
    assert found == {}
    assert console_errors == []

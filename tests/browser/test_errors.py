"""In Chromium: htmx error responses show the learner a message (invariant I4)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def probe_page(settings, page, live_app):
    settings.ROOT_URLCONF = "tests.probe_urls"
    page.goto(live_app.url + "/_probe/page/")
    return page


PROVOKED = ("the server responded with a status of", "Response Status Error Code")


def expected_failures(errors: list[str]) -> list[str]:
    """Drop what Chromium and htmx log for the failures provoked on purpose."""
    return [
        e
        for e in errors
        if not any(p in e for p in PROVOKED) and not e.startswith(("500 ", "503 "))
    ]


def test_outage_shows_a_message_and_the_next_request_clears_it(
    probe_page, console_errors, screenshot
):
    flash = probe_page.locator("#flash")
    expect(flash).to_be_hidden()
    probe_page.get_by_role("button", name="Outage").click()
    expect(flash).to_be_visible()
    expect(flash).to_contain_text("briefly unavailable")
    expect(probe_page.locator("#out")).to_have_text("Nothing yet.")  # not swapped
    screenshot("503-flash")
    probe_page.get_by_role("button", name="Conflict").click()
    expect(probe_page.locator("#out")).to_have_text("This card was already graded.")
    expect(flash).to_be_hidden()
    assert expected_failures(console_errors) == []


def test_unswapped_errors_get_a_plain_message(probe_page, console_errors, screenshot):
    flash = probe_page.locator("#flash")
    probe_page.get_by_role("button", name="Silent").click()
    expect(flash).to_contain_text("already done")
    probe_page.get_by_role("button", name="Bug").click()
    expect(flash).to_contain_text("Something went wrong")
    screenshot("500-flash")
    assert expected_failures(console_errors) == []


def test_outage_page_without_javascript_fits_a_phone(
    page, live_app, settings, screenshot
):
    settings.ROOT_URLCONF = "tests.probe_urls"
    page.set_viewport_size({"width": 375, "height": 740})
    response = page.goto(live_app.url + "/_probe/503/")
    assert response.status == 503 and response.headers["retry-after"] == "10"
    expect(page.get_by_role("heading", level=1)).to_have_text("Briefly unavailable")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("503-page-375")


# Chromium's network layer reports every response >= 400 on its own; that line
# comes from the browser, not from a page script, and no page can silence it.
# (The console_errors fixture also lists each response >= 500: the 503 here.)
NETWORK = re.compile(
    r"^Failed to load resource: the server responded with a status of"
    r"|^503 http://\S+/_probe/503/$"
)


def test_expected_statuses_leave_the_console_clean(
    probe_page, console_errors, screenshot
):
    """409 (a second tab), 429 and 503 are outcomes the app expects: htmx shows
    them and logs nothing; only unexpected failures (500) are logged."""
    out, flash = probe_page.locator("#out"), probe_page.locator("#flash")
    probe_page.get_by_role("button", name="Conflict").click()
    expect(out).to_have_text("This card was already graded.")
    probe_page.get_by_role("button", name="Throttled").click()
    expect(out).to_have_text("Too many answers at once; wait a moment.")
    probe_page.get_by_role("button", name="Outage").click()
    expect(flash).to_contain_text("briefly unavailable")
    probe_page.get_by_role("button", name="Silent").click()
    expect(flash).to_contain_text("already done")
    screenshot("expected-statuses")
    assert [e for e in console_errors if not NETWORK.search(e)] == []

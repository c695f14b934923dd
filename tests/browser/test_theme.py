"""The light/dark switch in Chromium: on every page, applied in place, painted
right from the first byte, remembered per learner; both schemes pass axe."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import AXE, axe_violations
from tests.browser.test_review import DESKTOP, face, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DARK_BG, LIGHT_BG = "rgb(17, 17, 24)", "rgb(247, 247, 251)"


def switch(page: Page):
    return page.locator("[data-theme-form] button")


def test_switch_applies_in_place_and_is_remembered(
    page, live_app, console_errors, screenshot, questions
):
    page.set_viewport_size(DESKTOP)
    page.emulate_media(color_scheme="light")
    # Before logging in: a cookie.
    page.goto(live_app.url + "/accounts/login/")
    expect(switch(page)).to_have_text("◐ Dark theme")
    # The choice is saved in the background; reload once the server has it.
    with page.expect_response(lambda r: r.url.endswith("/theme/")):
        switch(page).click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(switch(page)).to_have_text("◐ Light theme")
    expect(page.locator("body")).to_have_css("background-color", DARK_BG)
    page.reload()
    expect(page.locator("body")).to_have_css("background-color", DARK_BG)
    with page.expect_response(lambda r: r.url.endswith("/theme/")):
        switch(page).click()  # back to light before signing up
    expect(page.locator("html")).to_have_attribute("data-theme", "light")

    sign_up(page, live_app.url, "nox")
    page.goto(live_app.url + "/review/")
    page.get_by_role("button", name="Show answer").click()
    face(page, "back")
    page.evaluate("window.notReloaded = true")
    switch(page).focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert page.evaluate("window.notReloaded") is True  # the revealed card stays
    face(page, "back")
    expect(switch(page)).to_be_focused()
    screenshot("01-review-dark-on-a-light-device")
    assert AXE.exists()
    assert axe_violations(page) == []

    from cards.models import LearnerProfile

    for _ in range(50):
        if LearnerProfile.objects.get(user__username="nox").theme == "dark":
            break
        page.wait_for_timeout(100)
    assert LearnerProfile.objects.get(user__username="nox").theme == "dark"
    for path in ("/", "/progress/", "/settings/", "/review/"):
        response = page.goto(live_app.url + path)
        # In the HTML as served, before any script runs: no flash of light.
        assert 'data-theme="dark"' in response.text().split("<head>")[0]
        expect(page.locator("body")).to_have_css("background-color", DARK_BG)
        expect(switch(page)).to_have_text("◐ Light theme")
    assert axe_violations(page) == []

    # A dark device and the learner's light choice: light wins, and passes axe.
    page.emulate_media(color_scheme="dark")
    switch(page).click()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    expect(page.locator("body")).to_have_css("background-color", LIGHT_BG)
    page.get_by_role("button", name="Show answer").click()
    face(page, "back")
    assert axe_violations(page) == []
    screenshot("02-review-light-on-a-dark-device")
    assert console_errors == []


def test_switch_works_without_javascript(browser, live_app, questions):
    context = browser.new_context(java_script_enabled=False, color_scheme="light")
    page = context.new_page()
    try:
        sign_up(page, live_app.url, "plain")
        page.goto(live_app.url + "/progress/")
        switch(page).click()
        expect(page).to_have_url(live_app.url + "/progress/")
        expect(page.locator("html")).to_have_attribute("data-theme", "dark")
        expect(page.locator("body")).to_have_css("background-color", DARK_BG)
    finally:
        context.close()

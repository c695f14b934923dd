"""End to end in a real Chromium: the account flow."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_log_out_and_back_in(
    page, live_app, console_errors, screenshot, questions
):
    page.goto(live_app.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Generative-AI interview"
    )
    screenshot("01-landing")

    page.get_by_role("link", name="Start learning free").click()
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-pass-phrase-7")
    page.get_by_label("Password confirmation").fill("a-long-pass-phrase-7")
    screenshot("02-signup")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, grace")
    expect(page.locator("main")).to_contain_text("10 new questions waiting")
    screenshot("03-dashboard")

    from cards.models import LearnerProfile

    # Chromium's default time zone here is the machine's; it must be a real one.
    assert LearnerProfile.objects.get(user__username="grace").time_zone != ""

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Start learning free")).to_be_visible()
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password").fill("a-long-pass-phrase-7")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, grace")
    assert console_errors == []


def test_landing_fits_a_phone(page, live_app, console_errors, screenshot, questions):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_app.url + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    screenshot("landing-375")
    assert console_errors == []

"""The reminders fieldset in a real Chromium: keyboard only, phone width, dark."""

import pytest
from playwright.sync_api import expect

from cards.models import ReminderSettings
from tests.browser.test_review import PHONE, fits, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_turn_reminders_on_with_the_keyboard(
    page, live_app, console_errors, screenshot
):
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme="dark")
    sign_up(page, live_app.url, "grace")
    expect(page.get_by_role("heading", name="Get a daily reminder")).to_be_visible()
    # No address at sign-up: reminders cannot be turned on yet.
    page.get_by_role("link", name="Set up reminders").click()
    expect(page.locator("#reminders")).to_contain_text("Add an email address")

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="grace")
    user.email = "grace@example.com"
    user.save()
    ReminderSettings.objects.create(user=user, verified_email=user.email)
    page.reload()
    expect(page.locator("#reminders")).to_contain_text("(confirmed)")

    box = page.get_by_label("Email me a daily reminder")
    box.focus()
    page.keyboard.press("Space")
    page.get_by_label("Send at").select_option(label="07:00")
    page.get_by_label("Saturday").focus()
    page.keyboard.press("Space")  # off: Saturday no more
    page.get_by_role("button", name="Save reminder settings").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#reminders-status")).to_contain_text("Reminder settings saved")
    expect(page.locator("#reminders")).to_contain_text("Next:")
    fits(page, PHONE["width"])
    screenshot("01-reminders-on")
    saved = ReminderSettings.objects.get(user=user)
    assert saved.is_enabled and saved.hour == 7 and saved.weekdays == 0b1011111
    assert console_errors == []

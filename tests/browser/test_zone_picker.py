"""In Chromium: the time-zone field, with and without JavaScript."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cards.models import LearnerProfile
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _settings_page(context, live_app, username):
    page = context.new_page()
    page.goto(live_app.url + "/accounts/login/?next=/settings/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    return page


def test_browser_zone_first_and_a_city_typed_is_found(browser, live_app, screenshot):
    get_user_model().objects.create_user(
        "paulista", password=PASSWORD
    )  # no settings yet
    context = browser.new_context(timezone_id="America/Sao_Paulo")
    page = _settings_page(context, live_app, "paulista")
    field = page.get_by_role("combobox", name="Time zone")
    expect(field).to_have_value(
        "America/Sao_Paulo"
    )  # a first visit: the browser's zone
    first = page.locator("#time-zone-options option").first
    assert first.get_attribute("value") == "America/Sao_Paulo"
    assert "your browser's zone" in first.text_content()
    field.fill("tokyo")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".messages")).to_contain_text("Settings saved.")
    assert (
        LearnerProfile.objects.get(user__username="paulista").time_zone == "Asia/Tokyo"
    )
    expect(page.get_by_role("combobox", name="Time zone")).to_have_value("Asia/Tokyo")
    context.close()


def test_the_field_works_without_javascript(browser, live_app):
    get_user_model().objects.create_user("nojs", password=PASSWORD)
    context = browser.new_context(java_script_enabled=False)
    page = _settings_page(context, live_app, "nojs")
    field = page.get_by_role("combobox", name="Time zone")
    expect(field).to_have_value("UTC")
    field.fill("New York")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".messages")).to_contain_text("Settings saved.")
    profile = LearnerProfile.objects.get(user__username="nojs")
    assert profile.time_zone == "America/New_York"
    context.close()

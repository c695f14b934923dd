"""Typing an answer first, in a real Chromium: 1280 and 375 px, keyboard alone,
and without JavaScript (issue 15)."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_review import DESKTOP, PHONE, counts, face, fits, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = (
    "Generative AI creates new content such as text, images and code, instead of "
    "only classifying existing data. Examples are GPT and DALL-E."
)


def turn_on_typing(page: Page, base: str) -> None:
    page.goto(base + "/settings/")
    page.get_by_label("Type my answer first").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".messages")).to_contain_text("Settings saved.")
    page.goto(base + "/review/")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_type_check_and_grade_with_the_keyboard_alone(
    page, live_app, console_errors, screenshot, questions, viewport
):
    page.set_viewport_size(viewport)
    sign_up(page, live_app.url, "typist")
    turn_on_typing(page, live_app.url)
    face(page, "front")
    box = page.get_by_label("Your answer")
    expect(box).to_be_focused()
    expect(page.locator("#answer")).to_have_count(0)
    assert "Unlike traditional AI" not in page.content()
    page.keyboard.type(ANSWER)
    fits(page, viewport["width"])
    screenshot("01-typing")
    page.keyboard.press("Control+Enter")
    face(page, "back")
    expect(page.locator("#answer")).to_be_focused()
    verdict = page.locator(".verdict")
    expect(verdict).to_contain_text("of the key points")
    expect(verdict.locator(".is-covered").first).to_contain_text("Covered:")
    expect(verdict.locator("mark").first).to_contain_text("Generative AI creates new")
    suggested = page.locator("button.is-suggested")
    expect(suggested).to_have_count(1)
    expect(suggested).to_have_accessible_name(re.compile(r" Suggested$"))
    fits(page, viewport["width"])
    screenshot("02-verdict")
    page.keyboard.press("3")  # Good, whatever was suggested
    face(page, "front")
    assert counts(page) == (9, 0, 0)
    # Esc skips to the plain reveal.
    expect(page.get_by_label("Your answer")).to_be_focused()
    page.keyboard.press("Escape")
    face(page, "back")
    expect(page.locator(".verdict")).to_have_count(0)
    expect(page.locator("button.is-suggested")).to_have_count(0)
    page.keyboard.press("1")
    face(page, "front")
    assert counts(page) == (8, 0, 1)
    assert console_errors == []


def test_an_over_long_answer_gets_a_clear_message(
    page, live_app, console_errors, questions
):
    page.set_viewport_size(PHONE)
    sign_up(page, live_app.url, "wordy")
    turn_on_typing(page, live_app.url)
    face(page, "front")
    page.get_by_label("Your answer").fill("word " * 1_001)
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#flash")).to_contain_text("answers are limited to 5,000")
    face(page, "front")
    expect(page.get_by_label("Your answer")).to_have_value(re.compile("^word word"))
    # The 400 is the refusal itself, not an error of the page.
    assert [e for e in console_errors if "400" not in e] == []


def test_typing_first_works_without_javascript(browser, live_app, questions):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        sign_up(page, live_app.url, "plain")
        turn_on_typing(page, live_app.url)
        page.get_by_label("Your answer").fill(ANSWER)
        page.get_by_role("button", name="Check my answer").click()
        expect(page.locator(".verdict")).to_contain_text("Covered:")
        page.get_by_role("button", name=re.compile(r" Suggested$")).click()
        expect(page).to_have_url(re.compile(r"/review/$"))
        assert counts(page)[0] == 9
        page.get_by_role("link", name="Skip: show the answer").click()
        expect(page.locator("#answer")).to_be_visible()
    finally:
        context.close()

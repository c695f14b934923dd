"""Notes, reports and suspend on the back of a card, in Chromium: mouse at
1280 and 375 px, and the keyboard alone (issue 16)."""

import pytest
from playwright.sync_api import Page, expect

from cards.models import CardNote, ProblemReport, Suspension
from tests.browser.test_bank import log_in
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def back_of_first_card(page: Page) -> str:
    """Reveal the first card; returns its prompt."""
    expect(page.locator("#card")).to_have_attribute("data-ready", "")
    prompt = page.locator(".prompt").inner_text()
    page.get_by_role("button", name="Show answer").click()
    expect(page.locator("#card")).to_have_attribute("data-face", "back")
    return prompt


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until `selector` has the focus (the keyboard alone)."""
    target = page.locator(selector)
    for _ in range(limit):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_note_report_and_suspend_with_the_mouse(
    page, live_app, console_errors, screenshot, questions, viewport
):
    page.set_viewport_size(viewport)
    learner = make_user(username="ada")
    log_in(page, live_app, "ada", "/review/")
    prompt = back_of_first_card(page)
    fits(page, viewport["width"])

    page.get_by_text("Add a note").click()
    page.get_by_label("Your note (only you see it)").fill("Think of the 2017 paper")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".note-text")).to_have_text("Think of the 2017 paper")
    expect(page.locator("#care-status")).to_have_text("Note saved.")
    # The grade buttons are still there: saving a note leaves the card as it was.
    expect(page.get_by_role("button", name="Good", exact=False)).to_be_visible()

    page.get_by_text("Report a problem").click()
    page.get_by_label("What is wrong with this question?").fill("Outdated figure")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("#card-report")).to_contain_text("Thank you")
    fits(page, viewport["width"])
    screenshot("01-note-and-report")

    page.get_by_role("button", name="Suspend this card").click()
    expect(page.locator(".messages")).to_contain_text("Card suspended")
    expect(page.locator(".prompt")).not_to_have_text(prompt)
    assert page.locator(".count-new .count-n").inner_text() == "9"
    screenshot("02-suspended")

    note = CardNote.objects.get(user=learner)
    assert note.text == "Think of the 2017 paper"
    assert ProblemReport.objects.get(reporter=learner).note == "Outdated figure"
    assert Suspension.objects.filter(user=learner, question=note.question).exists()

    # The review page lists suspended cards; card info shows the note and
    # offers to unsuspend.
    page.get_by_role("link", name="Suspended cards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suspended cards")
    fits(page, viewport["width"])
    page.locator(".suspended-list a").first.click()
    expect(page.get_by_role("heading", name="Card info")).to_be_visible()
    expect(page.locator(".note-text")).to_have_text("Think of the 2017 paper")
    page.get_by_role("button", name="Unsuspend").click()
    expect(page.locator(".messages")).to_contain_text("back in your queue")
    assert not Suspension.objects.exists()
    assert console_errors == []


def test_note_report_and_suspend_with_the_keyboard_alone(
    page, live_app, console_errors, questions
):
    page.set_viewport_size(PHONE)
    learner = make_user(username="kim")
    log_in(page, live_app, "kim", "/review/")
    expect(page.locator("#card")).to_have_attribute("data-ready", "")
    page.keyboard.press("Space")
    expect(page.locator("#card")).to_have_attribute("data-face", "back")

    tab_to(page, ".note-edit summary")
    page.keyboard.press("Enter")
    tab_to(page, "#note-text")
    # Digits typed in the note are text, not grade shortcuts.
    page.keyboard.type("Steps 1 2 3 4 then U")
    tab_to(page, ".care-note button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".note-text")).to_have_text("Steps 1 2 3 4 then U")
    expect(page.locator("#card")).to_have_attribute("data-face", "back")

    tab_to(page, ".care-report summary")
    page.keyboard.press("Enter")
    tab_to(page, "#report-note")
    page.keyboard.type("Typo in line 2")
    tab_to(page, ".care-report-body button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#card-report")).to_contain_text("Thank you")

    tab_to(page, "button[value=suspend]")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Card suspended")
    assert CardNote.objects.get(user=learner).text == "Steps 1 2 3 4 then U"
    assert ProblemReport.objects.filter(reporter=learner).count() == 1
    assert Suspension.objects.filter(user=learner).count() == 1
    assert console_errors == []


def test_another_learner_sees_none_of_it(page, live_app, console_errors, questions):
    ada = make_user(username="ada")
    make_user(username="bob")
    log_in(page, live_app, "ada", "/review/")
    back_of_first_card(page)
    page.get_by_text("Add a note").click()
    page.get_by_label("Your note (only you see it)").fill("ada's private hint")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".note-text")).to_have_text("ada's private hint")
    question_id = CardNote.objects.get(user=ada).question_id

    page.context.clear_cookies()
    log_in(page, live_app, "bob", "/review/")
    back_of_first_card(page)
    expect(page.locator(".note-text")).to_have_count(0)
    for path in (f"/review/{question_id}/info/", f"/questions/{question_id}/mine/"):
        page.goto(live_app.url + path)
        expect(page.get_by_text("ada's private hint")).to_have_count(0)
    assert console_errors == []

"""FSRS end to end in a real Chromium: choose it, study, undo, card info, switch back."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_review import face, fits, reveal, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save_scheduler(page: Page, base: str, label: str, retention: str) -> None:
    page.goto(base + "/settings/")
    panel = page.locator("#scheduler-panel")
    panel.get_by_role("radio", name=label).check()
    panel.get_by_label("Desired retention (FSRS)").fill(retention)
    panel.get_by_role("button", name="Save scheduler").click()


def test_a_learner_studies_with_fsrs_and_switches_back(
    page, live_app, console_errors, screenshot, questions
):
    base = live_app.url
    page.set_viewport_size({"width": 375, "height": 740})
    sign_up(page, base, "fsrs-ada")

    # Settings: the scheduler panel, its cost sentence and the workload estimate.
    save_scheduler(page, base, re.compile("FSRS"), "0.9")
    expect(page.get_by_text("Switched to FSRS: 0 cards converted")).to_be_visible()
    expect(page.get_by_text(re.compile("above 0.90 the workload rises quickly", re.I)))
    expect(
        page.locator("#scheduler-panel").get_by_role("radio", name=re.compile("FSRS"))
    ).to_be_checked()
    table = page.get_by_role("table", name=re.compile("Estimated FSRS reviews per day"))
    expect(table).to_be_visible()  # loaded by htmx after the page
    expect(table.get_by_role("row")).to_have_count(5)
    fits(page, 375)
    screenshot("01-settings")

    # Review: a new card's buttons under FSRS, and the note on SM-2's rule.
    page.goto(base + "/review/")
    face(page, "front")
    info_link = page.get_by_role("link", name=re.compile("^Card info"))
    info_url = info_link.get_attribute("href")
    reveal(page, keyboard=True)
    expect(
        page.get_by_text(re.compile("SM-2’s rule that answers below Good"))
    ).to_be_visible()
    again = page.get_by_role("button", name=re.compile(r"^Again \("))
    easy = page.get_by_role("button", name=re.compile(r"^Easy \("))
    expect(again).to_have_accessible_name(re.compile("see it again later today"))
    expect(easy).to_have_accessible_name(re.compile(r"next in \d+ days?"))
    screenshot("02-buttons")
    page.keyboard.press("3")  # Good: a learning step, back later today
    face(page, "front")
    expect(page.locator(".count-redrill .count-n")).to_have_text("1")

    # Undo brings the card back; Easy graduates it straight away.
    page.keyboard.press("u")
    expect(page.get_by_text("Answer taken back")).to_be_visible()
    expect(page.locator(".count-redrill .count-n")).to_have_text("0")
    face(page, "front")
    expect(page.get_by_role("link", name=re.compile("^Card info"))).to_have_attribute(
        "href", info_url
    )
    reveal(page, keyboard=True)
    page.keyboard.press("4")
    expect(page.locator(".count-new .count-n")).to_have_text("9")
    face(page, "front")
    expect(page.locator(".count-redrill .count-n")).to_have_text("0")

    # Card info: the answer, FSRS's memory state and why it is due.
    page.goto(base + info_url)
    expect(page.get_by_role("heading", name="Card info", level=1)).to_be_visible()
    answers = page.get_by_role("table", name=re.compile("1 answer, oldest first"))
    expect(answers.get_by_role("columnheader", name="Stability")).to_be_visible()
    expect(answers.get_by_role("cell", name="5 · Easy")).to_be_visible()
    expect(page.locator("#why-due")).to_contain_text("FSRS predicts your recall")
    screenshot("03-card-info")

    # Back to SM-2 the same day: the card's SM-2-free history converts back.
    save_scheduler(page, base, re.compile(r"SM-2 \("), "0.9")
    expect(page.get_by_text("Switched to SM-2: 1 card converted")).to_be_visible()
    page.goto(base + "/review/")
    face(page, "front")
    reveal(page, keyboard=True)
    expect(
        page.get_by_text("comes back later today until you know it.")
    ).to_be_visible()
    assert console_errors == []

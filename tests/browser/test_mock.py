"""Mock interviews in a real Chromium (issue 18): keyboard alone at 1280 and
375 px, a reload, a second tab and a lost connection lose neither text nor
clock; the countdown does not talk every second; no console errors."""

import re

import pytest
from playwright.sync_api import Page, expect

from cards.mock.models import MockAnswer, MockInterview
from cards.models import ReviewLog
from tests.browser.test_bank import log_in
from tests.browser.test_review import DESKTOP, PHONE, fits
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def start(page: Page, base: str, count: int = 2) -> None:
    page.goto(base + "/mock/")
    box = page.get_by_label("Number of questions")
    box.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(count))
    page.keyboard.press("Enter")  # submits the setup form
    ready(page)


def ready(page: Page) -> None:
    # mock.js marks the question once htmx and the clock are wired up.
    expect(page.locator("#mock-question[data-ready]")).to_be_visible()


def saved(page: Page) -> None:
    expect(page.locator("[data-saved-note]")).to_contain_text(
        "Draft saved", timeout=10_000
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_mock_with_the_keyboard_alone(
    page, live_app, console_errors, screenshot, questions, viewport
):
    page.set_viewport_size(viewport)
    make_user(username="kim", rate_confidence=True)
    log_in(page, live_app, "kim", "/mock/")
    start(page, live_app.url)
    box = page.get_by_label("Your answer")
    expect(box).to_be_focused()
    expect(page.locator("[data-timer]")).to_have_text(re.compile(r"^\d:\d\d$"))
    timer = page.locator("[data-timer]")
    expect(timer).to_have_attribute("role", "timer")  # silent: aria-live off
    assert page.locator("#mock-announce").inner_text() == ""
    page.keyboard.type("Attention weighs every token against every other token.")
    fits(page, viewport["width"])
    screenshot("01-question")
    page.keyboard.press("Tab")  # to the confidence ratings
    page.keyboard.press("3")
    expect(page.get_by_label("Certain")).to_be_checked()
    page.keyboard.press("Shift+Tab")
    expect(box).to_be_focused()
    page.keyboard.press("Control+Enter")
    expect(page.locator("#mock-question")).to_contain_text("Question 2 of 2")
    ready(page)
    expect(page.locator("#mock-announce")).to_have_text("Question 2 of 2.")
    expect(page.get_by_label("Your answer")).to_be_focused()
    page.keyboard.type("I am not sure.")
    page.keyboard.press("Control+Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Debrief")
    # The debrief is a new page: its heading shows before htmx is wired up, and
    # an Enter pressed then submits the form without JavaScript (the reload
    # that follows logs the grade but leaves the status region empty).
    page.wait_for_load_state("load")
    fits(page, viewport["width"])
    screenshot("02-debrief")
    assert page.locator("details.mock-reference").count() == 2
    first = MockAnswer.objects.filter(mock__user__username="kim").order_by("position")[
        0
    ]
    assert first.confidence == 3
    # Confirm the suggested grade of question 1 with the keyboard, then undo.
    article = page.locator(f"#answer-{first.pk}")
    article.locator("button.is-suggested").focus()
    page.keyboard.press("Enter")
    expect(article.locator(".mock-confirmed")).to_contain_text("Logged as")
    expect(page.locator("#mock-status")).to_have_text("Grade confirmed and logged.")
    expect(article.get_by_role("button", name="Undo")).to_be_focused()
    assert ReviewLog.objects.get().kind == "mock"
    page.keyboard.press("Enter")
    expect(page.locator("#mock-status")).to_have_text("Confirmation undone.")
    expect(article.locator("button.is-suggested")).to_be_focused()
    assert not ReviewLog.objects.exists()
    page.get_by_role("button", name="Review these soon").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".mock-done")).to_contain_text("in your reviews by tomorrow")
    assert console_errors == []


def test_a_reload_keeps_the_text_and_the_clock(
    page, live_app, console_errors, questions
):
    page.set_viewport_size(DESKTOP)
    make_user(username="ray")
    log_in(page, live_app, "ray", "/mock/")
    start(page, live_app.url)
    page.get_by_label("Your answer").type("Tokens attend to tokens")
    saved(page)
    deadline = page.locator("#mock-question").get_attribute("data-deadline")
    page.reload()
    ready(page)
    expect(page.get_by_label("Your answer")).to_have_value("Tokens attend to tokens")
    assert page.locator("#mock-question").get_attribute("data-deadline") == deadline
    assert console_errors == []


def test_a_second_tab_sees_the_answer_handed_in_in_the_first(
    page, live_app, console_errors, questions
):
    page.set_viewport_size(DESKTOP)
    make_user(username="two")
    log_in(page, live_app, "two", "/mock/")
    start(page, live_app.url)
    other = page.context.new_page()
    other.goto(page.url)
    ready(other)
    page.get_by_label("Your answer").type("From tab one")
    saved(page)
    other.reload()
    ready(other)
    expect(other.get_by_label("Your answer")).to_have_value("From tab one")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#mock-question")).to_contain_text("Question 2 of 2")
    # The stale tab's next draft is refused: it reloads to where the mock is.
    other.get_by_label("Your answer").type(" and tab two")
    expect(other.locator("#mock-question")).to_contain_text(
        "Question 2 of 2", timeout=15_000
    )
    assert MockAnswer.objects.filter(position=0).get().text == "From tab one"


def test_a_draft_that_races_its_own_hand_in_does_not_reload_the_page(
    page, live_app, console_errors, questions
):
    # A draft still on its way when the learner hands the answer in reaches
    # the server after the hand-in and is refused (409). That refusal means
    # "handed in elsewhere" only for another tab: here it must change nothing
    # (it used to reload the page, losing focus and the announcement).
    page.set_viewport_size(DESKTOP)
    make_user(username="race")
    log_in(page, live_app, "race", "/mock/")
    start(page, live_app.url)
    held = []
    page.route("**/draft/", lambda route: held.append(route))
    page.get_by_label("Your answer").type("Attention weighs every token.")
    page.wait_for_timeout(1500)  # the draft goes a second after typing stops
    assert len(held) == 1
    page.evaluate("window.notReloaded = true")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#mock-question")).to_contain_text("Question 2 of 2")
    with page.expect_response("**/draft/") as refused:
        held[0].continue_()
    assert refused.value.status == 409
    page.wait_for_timeout(500)
    assert page.evaluate("window.notReloaded === true")
    expect(page.locator("#mock-announce")).to_have_text("Question 2 of 2.")
    expect(page.get_by_label("Your answer")).to_be_focused()
    assert MockAnswer.objects.filter(position=0).get().text == (
        "Attention weighs every token."
    )
    # Chromium logs the expected 409 itself; nothing else may go wrong.
    assert [e for e in console_errors if "409" not in e] == []


def test_a_slow_hand_in_sends_no_draft_after_it(
    page, live_app, console_errors, questions
):
    # Typing schedules a draft a second after the last key; a hand-in that
    # takes longer than that (a busy server) used to let the draft go after
    # it, to be refused with a 409. The hand-in carries the text: no draft.
    page.set_viewport_size(DESKTOP)
    make_user(username="slow")
    log_in(page, live_app, "slow", "/mock/")
    start(page, live_app.url)
    drafts = []
    page.on("request", lambda r: drafts.append(r) if "/draft/" in r.url else None)

    def slow(route):
        page.wait_for_timeout(1800)
        route.continue_()

    page.route("**/answer/", slow)
    page.get_by_label("Your answer").type("Attention weighs every token.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#mock-question")).to_contain_text("Question 2 of 2")
    page.wait_for_timeout(1500)  # when a draft scheduled before would have gone
    assert drafts == []
    assert MockAnswer.objects.filter(position=0).get().text == (
        "Attention weighs every token."
    )
    assert console_errors == []


def test_text_typed_offline_is_sent_on_reconnect(
    page, live_app, console_errors, questions
):
    page.set_viewport_size(DESKTOP)
    make_user(username="off")
    log_in(page, live_app, "off", "/mock/")
    start(page, live_app.url)
    page.context.set_offline(True)
    page.get_by_label("Your answer").type("Typed on a train")
    expect(page.locator("[data-saved-note]")).to_contain_text("Offline", timeout=10_000)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#flash")).to_contain_text("handed in when you reconnect")
    assert MockAnswer.objects.filter(position=0).get().text == ""
    page.context.set_offline(False)
    expect(page.locator("#mock-question")).to_contain_text(
        "Question 2 of 2", timeout=10_000
    )
    first = MockAnswer.objects.filter(position=0).get()
    assert first.text == "Typed on a train" and first.is_submitted
    # Offline errors (and htmx logging its failed send) are the point of this
    # test; nothing else went wrong.
    expected = ("ERR_INTERNET_DISCONNECTED", "htmx:sendError", "htmx:afterRequest")
    assert [e for e in console_errors if not any(x in e for x in expected)] == []


def test_the_mock_pages_work_without_javascript(browser, live_app, questions):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    make_user(username="nojs")
    log_in(page, live_app, "nojs", "/mock/")
    page.get_by_label("Number of questions").fill("1")
    page.get_by_role("button", name="Start the interview").click()
    page.get_by_label("Your answer").fill("Plain HTML answer")
    page.get_by_role("button", name="Hand in and see the debrief").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Debrief")
    page.locator("button.is-suggested").click()
    expect(page.locator(".mock-confirmed")).to_contain_text("Logged as")
    assert MockInterview.objects.get().is_finished
    context.close()

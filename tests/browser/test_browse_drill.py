"""Browse/search the bank and drill my weakest in a real Chromium (issue 16):
1280 and 375 px, and with a keyboard alone."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from cards.models import ReviewKind, ReviewLog, ReviewSchedule, Topic, profile_for
from tests.browser.test_bank import log_in
from tests.factories import make_question, make_schedule, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ada(questions, clock):
    from cards.bank import services

    services.ensure_topics()
    learner = make_user(username="ada")
    later = profile_for(learner).study_day(clock.now) + timedelta(days=30)
    rag = Topic.objects.get(slug="rag")
    for i, ease in enumerate(("1.30", "1.50", "2.70")):
        q = make_question(
            prompt=f"How does reranking step {i} work?",
            answer="A cross-encoder scores each candidate.",
            topics=[rag],
        )
        make_schedule(
            user=learner,
            question=q,
            ease=ease,
            lapses=3 - i,
            due_on=later,
            repetitions=4,
            interval_days=30,
        )
    return learner


@pytest.mark.parametrize("width", [1280, 375])
def test_browse_filters_searches_and_opens_card_info(
    page, live_app, ada, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_app, "ada", "/questions/")
    expect(page.get_by_role("heading", level=2)).to_have_text("13 questions")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_label("Topic").select_option("rag")
    page.get_by_label("Sort").select_option("ease")
    page.get_by_role("button", name="Show questions").click()
    expect(page.locator("#results h2")).to_have_text("3 questions")
    expect(page.locator("#browse-status")).to_have_text("3 questions found.")
    first = page.locator(".browse-prompt").first
    expect(first).to_have_text("How does reranking step 0 work?")
    expect(page.locator(".browse-meta").first).to_contain_text("ease 1.30")
    assert "topic=rag" in page.url  # pushed, so the filtered list can be shared
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Card info")
    assert console_errors == []


def test_browse_by_keyboard_alone(page, live_app, ada, console_errors):
    log_in(page, live_app, "ada", "/questions/")
    page.get_by_label("Search").focus()
    page.keyboard.type("latent")
    page.keyboard.press("Enter")
    expect(page.locator("#results h2")).to_have_text("1 question")
    # Search as you type may still swap the results in: let it settle first.
    page.wait_for_load_state("networkidle")
    # Tab from the search box through the filters and the buttons to the result.
    target = page.locator(".browse-prompt").first
    for _ in range(20):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            break
    expect(target).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Card info")
    assert console_errors == []


@pytest.mark.parametrize("width", [1280, 375])
def test_drill_my_weakest_from_the_progress_page(
    page, live_app, ada, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_app, "ada", "/progress/")
    page.get_by_role("link", name="Drill my hardest cards").click()
    page.get_by_label("Topic").select_option("rag")
    page.get_by_label("Cards").select_option("5")
    page.get_by_role("button", name="Start the drill").click()
    expect(page.locator(".card-meta")).to_contain_text("card 1 of 3")
    expect(page.locator(".prompt")).to_contain_text("step 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name="Again").click()
    expect(page.locator(".card-meta")).to_contain_text("card 2 of 3")
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name="Good").click()
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name="Easy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Drill done")
    expect(page.locator(".lead")).to_contain_text(
        "3 cards drilled in Retrieval & RAG; 1 failed"
    )
    logs = ReviewLog.objects.filter(user=ada)
    assert list(logs.values_list("kind", flat=True)) == [ReviewKind.DRILL] * 3
    weakest = ReviewSchedule.objects.get(user=ada, ease="1.30")
    assert weakest.lapses == 4  # the failure counted as a lapse
    assert console_errors == []


def test_drill_by_keyboard_alone(page, live_app, ada, console_errors):
    log_in(page, live_app, "ada", "/drill/?by=lapses")
    page.get_by_label("Topic").focus()
    start = page.get_by_role("button", name="Start the drill")
    for _ in range(5):
        page.keyboard.press("Tab")
        if start.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Enter")
    show = page.get_by_role("button", name="Show answer")
    expect(show).to_be_focused()  # the next action has the focus
    page.keyboard.press("Space")
    expect(page.locator("#answer")).to_be_focused()
    page.keyboard.press("3")  # Good, as in the review
    expect(page.locator(".card-meta")).to_contain_text("card 2 of 3")
    for _ in range(2):
        expect(show).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#answer")).to_be_focused()  # ready for the keys
        page.keyboard.press("1")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page.locator(".lead")).to_contain_text("3 cards drilled; 2 failed")
    assert console_errors == []

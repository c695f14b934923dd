"""End to end in a real Chromium: admin import with preview; a learner's diff page."""

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from cards.bank import services as bank_services
from cards.models import Question
from tests.bank.test_formats import SEED
from tests.factories import PASSWORD, make_schedule, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_app, username, path):
    page.goto(f"{live_app.url}/accounts/login/?next={path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_admin_imports_the_seed_after_a_preview(
    page, live_app, console_errors, screenshot
):
    make_user(username="root", is_superuser=True)
    log_in(page, live_app, "root", "/admin/cards/question/")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Question file").set_input_files(str(SEED))
    screenshot("01-upload")
    page.get_by_role("button", name="Preview import").click()
    expect(page.locator(".gp-summary")).to_contain_text("10 to create")
    screenshot("02-preview")
    assert not Question.objects.exists()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_role("button", name="Apply import").click()
    expect(page.locator(".messagelist")).to_contain_text("10 created")
    screenshot("03-changelist")
    assert Question.objects.count() == 10
    assert console_errors == []


def test_learner_reads_what_changed_on_a_phone(
    page, live_app, console_errors, screenshot, questions
):
    learner = make_user(username="ada")
    question = questions[3]
    make_schedule(user=learner, question=question, due_on=date(2030, 1, 1))
    question.answer = (
        question.answer.replace(
            "It replaced Recurrent Neural Networks (RNNs)",
            "It largely replaced RNNs and LSTMs",
        )
        + "\n\n*   **Today:** the basis of every large language model."
    )
    bank_services.save_question(
        question=question,
        editor=None,
        now=datetime(2026, 1, 5, tzinfo=UTC),
        substantial=True,
    )
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_app, "ada", f"/questions/{question.pk}/changes/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What changed in this question"
    )
    expect(page.locator(".diff ins").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("01-diff-375")
    page.get_by_text("The answer as it reads now").click()
    page.keyboard.press("Tab")
    screenshot("02-new-answer-375")
    assert console_errors == []

"""The "rewritten" note compares with what this learner last saw, and goes when equal."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from cards.bank import formats as bank
from cards.bank import services as bank_services
from cards.models import ReviewSchedule
from tests.factories import make_question, make_schedule

T0 = datetime(2026, 1, 3, 9, 0, tzinfo=UTC)
NOTE = "rewritten since you last answered it"


def _edit(question, answer, *, at, substantial=True):
    question.answer = answer
    bank_services.save_question(
        question=question, editor=None, now=at, substantial=substantial
    )


def _import(question, answer, *, at):
    text = (
        f"## Basic\n\n<!-- key: {question.key} -->\n"
        f"**Q{question.position}: {question.prompt}**\n\n**A:** {answer}\n"
    )
    parsed = bank.parse(text, "markdown")
    # The file reverts the admin's later edit: a conflict, resolved for the file.
    bank_services.import_questions(
        parsed=parsed, editor=None, now=at, resolutions={question.key: "take"}
    )


def _answered(user, question, at, due_on=date(2026, 6, 1)):
    schedule = make_schedule(user=user, question=question, due_on=due_on)
    ReviewSchedule.objects.filter(pk=schedule.pk).update(last_reviewed_at=at)
    return schedule


def _changes(client, question):
    r = client.get(reverse("cards:question_changes", args=[question.pk]))
    assert r.status_code == 200
    return r.text


@pytest.mark.parametrize("revert", ["substantial", "typo", "import"])
def test_a_reverted_rewrite_leaves_no_note_and_no_empty_diff(
    logged_in_client, user, revert
):
    question = make_question(answer="The original answer.")
    schedule = _answered(user, question, T0, due_on=date(2026, 1, 5))  # today
    _edit(question, "A rewritten answer.", at=T0 + timedelta(hours=1))
    schedule.refresh_from_db()
    assert schedule.has_unseen_change
    review = logged_in_client.get(reverse("cards:review"))
    assert NOTE in review.text

    later = T0 + timedelta(hours=2)
    if revert == "import":
        _import(question, "The original answer.", at=later)
    else:
        _edit(
            question,
            "The original answer.",
            at=later,
            substantial=revert == "substantial",
        )

    schedule.refresh_from_db()
    assert not schedule.has_unseen_change
    review = logged_in_client.get(reverse("cards:review"))
    assert question.prompt in review.text and NOTE not in review.text
    page = _changes(logged_in_client, question)
    assert "diff-removed" not in page and "diff-added" not in page
    assert "reads as it did" in page


def test_the_diff_starts_from_what_the_learner_saw_not_from_a_later_typo_fix(
    logged_in_client, user
):
    question = make_question(answer="Attention is all you need.")
    _answered(user, question, T0)
    _edit(
        question,
        "Attention is all you need!",
        at=T0 + timedelta(hours=1),
        substantial=False,
    )
    _edit(question, "Attention and MLPs, mostly.", at=T0 + timedelta(hours=2))
    page = _changes(logged_in_client, question)
    assert "since you last answered it" in page
    assert "Attention <del>is all you need</del>." in page and "need!" not in page


def test_a_learner_who_saw_the_rewrite_is_told_of_its_reversal(
    client, user, other_user
):
    question = make_question(answer="Version zero.")
    _answered(user, question, T0)
    _edit(question, "Version one.", at=T0 + timedelta(hours=1))
    saw_one = _answered(other_user, question, T0 + timedelta(hours=2))
    _edit(question, "Version zero.", at=T0 + timedelta(hours=3))
    assert not ReviewSchedule.objects.get(user=user).has_unseen_change
    saw_one.refresh_from_db()
    assert saw_one.has_unseen_change
    client.force_login(other_user)
    page = _changes(client, question)
    assert "since you last answered it" in page and "Version <del>one</del>." in page


def test_the_latest_rewrite_without_an_unseen_change_is_never_an_empty_diff(
    logged_in_client, user
):
    question = make_question(prompt="Same prompt?", answer="Old.")
    _edit(question, "New.", at=T0)
    _answered(user, question, T0 + timedelta(hours=1))
    page = _changes(logged_in_client, question)
    assert "<ins>New</ins>." in page
    # Only the answer changed: no diff of an unchanged prompt.
    assert "Changes to the question" not in page

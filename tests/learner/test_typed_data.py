"""Typed answers in "Your data": exported, imported back, deleted with the account."""

import json
from datetime import UTC, datetime

import pytest

from cards.learner import userdata
from cards.models import LearnerProfile, Question, ReviewLog
from cards.review import services
from tests.factories import make_user
from tests.learner.test_data import as_lines, document, export, import_

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
TEXT = 'Self-attention <b>weighs</b> tokens & "more"'


def typed_user(questions, username="writer"):
    user = make_user(username=username, type_answer_first=True)
    services.record_review(
        user=user,
        question=Question.objects.get(position=4),
        grade=4,
        version=0,
        now=NOW,
        typed=services.TypedAnswer(TEXT, 0.5, 3, (1, 2)),
    )
    return user


def test_export_holds_typed_text_score_suggestion_and_grade(questions):
    data = document(export(typed_user(questions)))
    (review,) = data["reviews"]
    assert review["typed_answer"] == TEXT and review["answer_score"] == 0.5
    assert (review["suggested_grade"], review["grade"]) == (3, 4)
    assert data["settings"]["type_answer_first"] is True


def test_import_round_trips_and_reads_files_from_before(questions):
    blob = export(typed_user(questions))
    other = make_user(username="reader")
    import_(other, blob)
    log = ReviewLog.objects.get(user=other)
    assert (log.typed_answer, log.answer_score, log.suggested_grade) == (TEXT, 0.5, 3)
    assert LearnerProfile.objects.get(user=other).type_answer_first
    old = document(blob) | {"version": 2}  # a version 2 file, from before
    del old["settings"]["type_answer_first"]
    for review in old["reviews"]:
        for name in ("typed_answer", "answer_score", "suggested_grade"):
            del review[name]
    parsed = userdata.parse_user_data(json.dumps(old).encode())
    assert parsed.reviews[0]["typed_answer"] == ""
    assert parsed.settings["type_answer_first"] is False


def test_bad_typed_fields_are_refused(questions):
    data = document(export(typed_user(questions)))
    data["reviews"][0]["answer_score"] = 2
    with pytest.raises(ValueError, match="answer_score: must be between 0 and 1"):
        userdata.parse_user_data(as_lines(data))


def test_deleting_the_account_removes_typed_answers(questions):
    user = typed_user(questions)
    other = typed_user(questions, username="stays")
    userdata.delete_account(user=user)
    assert list(ReviewLog.objects.values_list("user", flat=True)) == [other.pk]

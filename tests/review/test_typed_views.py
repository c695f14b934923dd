"""The review screen with "type my answer first" (issue 15)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cards.models import KeyPoint, LearnerProfile, Question, ReviewLog, ReviewSchedule
from tests.clock import frozen_moment
from tests.factories import make_schedule, make_user

HTMX = {"HX-Request": "true"}
KEY = "what-is-a-transformer-architecture-and-why-is-it-important-for-generative-ai"
GOOD = (
    "Self-attention lets every token weigh how relevant every other token is. "
    "It processes all tokens in parallel instead of one at a time like an RNN."
)


@pytest.fixture
def typist(questions):
    user = make_user(username="typist", type_answer_first=True)
    question = Question.objects.get(key=KEY)
    today = user.profile.study_day(frozen_moment())
    Question.objects.exclude(pk=question.pk).update(is_active=False)
    schedule = make_schedule(
        user=user, question=question, due_on=today - timedelta(days=1)
    )
    return user, question, schedule


def check(client, question, schedule, text, **headers):
    return client.post(
        reverse("cards:check", args=[question.pk]),
        {"typed": text, "version": schedule.version, "shown_at": "1"},
        headers=headers,
    )


def test_front_has_a_text_box_and_no_answer_text(client, typist):
    user, question, _ = typist
    client.force_login(user)
    page = client.get(reverse("cards:review")).text
    assert '<textarea id="typed-answer" name="typed"' in page
    assert (
        'aria-keyshortcuts="Control+Enter"' in page and "Skip: show the answer" in page
    )
    assert "long-range dependencies" not in page  # the reference answer
    for point in question.key_points.all():
        assert point.statement not in page


def test_setting_off_keeps_the_plain_reveal(client, typist):
    user, _, _ = typist
    LearnerProfile.objects.filter(user=user).update(type_answer_first=False)
    client.force_login(user)
    page = client.get(reverse("cards:review")).text
    assert 'id="typed-answer"' not in page and 'data-action="reveal"' in page
    # The hidden back (revealed in place) may hold the note's own textarea.
    front = re.sub(r"<template data-back>.*?</template>", "", page, flags=re.S)
    assert "<textarea" not in front


def test_checking_reveals_points_sentence_and_suggestion_and_writes_nothing(
    client, typist
):
    user, question, schedule = typist
    client.force_login(user)
    r = check(client, question, schedule, GOOD, **HTMX)
    assert (
        r.status_code == 200
        and '<section id="card"' in r.text
        and "<html" not in r.text
    )
    assert "long-range dependencies" in r.text  # now the reference answer shows
    assert "Covered:</span> self-attention lets every token" in r.text
    assert "<mark>Self-attention lets every token weigh" in r.text
    assert "Missed:</span>" in r.text and "% of the key points" in r.text
    assert r.text.count("is-suggested") == 1 and ">Suggested</span>" in r.text
    # The badge is part of the button's visible text, so of its accessible name.
    assert '<span class="grade-suggested">Suggested</span>' in r.text
    assert f'name="typed" value="{GOOD}"' in r.text
    assert not ReviewLog.objects.exists()
    schedule.refresh_from_db()
    assert schedule.version == 2


def test_checking_without_javascript_shows_the_whole_page(client, typist):
    user, question, schedule = typist
    client.force_login(user)
    r = check(client, question, schedule, GOOD)
    assert r.status_code == 200 and "<html" in r.text and "Covered:</span>" in r.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 5001, "Your answer has 5001 characters; answers are limited to 5,000"),
        ("   ", "Type an answer first, or skip to the answer."),
    ],
)
def test_a_too_long_or_empty_answer_is_refused_with_a_message(
    client, typist, text, message
):
    user, question, schedule = typist
    client.force_login(user)
    r = check(client, question, schedule, text, **HTMX)
    assert r.status_code == 400 and message in r.text and 'role="alert"' in r.text
    assert not ReviewLog.objects.exists()


def test_grading_keeps_the_typed_text_plain_with_score_and_suggestion(client, typist):
    user, question, schedule = typist
    client.force_login(user)
    text = GOOD + " <script>alert(1)</script> & <b>bold</b>"
    r = check(client, question, schedule, text, **HTMX)
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;" in r.text
    r = client.post(
        reverse("cards:grade", args=[question.pk]),
        {"grade": 1, "version": schedule.version, "shown_at": "1", "typed": text},
        headers=HTMX,
    )
    assert r.status_code == 200
    log = ReviewLog.objects.get()
    assert log.typed_answer == text and log.grade == 1
    assert 0 < log.answer_score <= 1 and log.suggested_grade >= 3
    missed = set(log.missed_points)
    statements = set(
        KeyPoint.objects.filter(pk__in=missed).values_list("statement", flat=True)
    )
    assert missed and not any(s.startswith("self-attention lets") for s in statements)
    # Exactly once: the same shown card cannot be graded again.
    again = client.post(
        reverse("cards:grade", args=[question.pk]),
        {"grade": 4, "version": schedule.version, "shown_at": "1", "typed": text},
        headers=HTMX,
    )
    assert again.status_code == 409 and ReviewLog.objects.count() == 1


def test_the_score_kept_is_the_servers_not_the_pages(client, typist):
    user, question, schedule = typist
    client.force_login(user)
    client.post(
        reverse("cards:grade", args=[question.pk]),
        {"grade": 4, "version": schedule.version, "typed": "no idea", "score": "1"},
    )
    log = ReviewLog.objects.get()
    assert log.answer_score == 0 and log.suggested_grade == 0


def test_a_plain_grade_keeps_no_typed_answer(client, typist):
    user, question, schedule = typist
    client.force_login(user)
    client.post(reverse("cards:grade", args=[question.pk]), {"grade": 4, "version": 2})
    log = ReviewLog.objects.get()
    assert (log.typed_answer, log.answer_score, log.suggested_grade) == ("", None, None)


def test_another_learners_card_cannot_be_checked(client, typist):
    _, question, schedule = typist
    client.force_login(make_user(username="mallory", type_answer_first=True))
    r = check(client, question, schedule, GOOD, **HTMX)
    assert r.status_code == 409 and "self-attention lets every token" not in r.text
    assert ReviewSchedule.objects.filter(user__username="mallory").count() == 0


def test_each_step_costs_at_most_one_query_more_than_without_typing(client, typist):
    user, question, schedule = typist
    client.force_login(user)
    client.get(reverse("cards:review"))
    with CaptureQueriesContext(connection) as plain_reveal:
        client.get(
            reverse("cards:reveal", args=[question.pk]),
            {"version": schedule.version},
            headers=HTMX,
        )
    with CaptureQueriesContext(connection) as typed_check:
        check(client, question, schedule, GOOD, **HTMX)
    with CaptureQueriesContext(connection) as typed_grade:
        client.post(
            reverse("cards:grade", args=[question.pk]),
            {"grade": 4, "version": schedule.version, "typed": GOOD},
            headers=HTMX,
        )
    print(
        f"\nqueries: reveal {len(plain_reveal)}, check {len(typed_check)}, "
        f"typed grade {len(typed_grade)}"
    )
    assert len(typed_check) <= len(plain_reveal) + 1

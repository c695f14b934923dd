"""Confidence before the reveal (issue 18): one press, no extra request, logged."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cards.models import Question, ReviewLog
from tests.clock import frozen_moment
from tests.factories import make_schedule, make_user

HTMX = {"HX-Request": "true"}


@pytest.fixture
def rater(questions, client):
    user = make_user(username="rater", rate_confidence=True)
    question = Question.objects.order_by("pk").first()
    Question.objects.exclude(pk=question.pk).update(is_active=False)
    today = user.profile.study_day(frozen_moment())
    schedule = make_schedule(
        user=user, question=question, due_on=today - timedelta(days=1)
    )
    client.force_login(user)
    return user, question, schedule


def test_front_offers_three_ratings_that_reveal_with_one_press(client, rater):
    page = client.get(reverse("cards:review")).text
    for value, label in [(1, "Unsure"), (2, "Fairly sure"), (3, "Certain")]:
        assert f'name="confidence" value="{value}"' in page and label in page
        assert f'data-confidence-key="{value}" aria-keyshortcuts="{value}"' in page
    assert "Show answer without rating" in page


def test_front_without_the_setting_has_no_ratings(client, questions):
    client.force_login(make_user(username="plain"))
    page = client.get(reverse("cards:review")).text
    assert 'name="confidence"' not in page


def test_the_rating_travels_with_the_reveal_and_the_grade_and_is_logged(client, rater):
    _, question, schedule = rater
    r = client.get(
        reverse("cards:reveal", args=[question.pk]),
        {"version": schedule.version, "confidence": "3"},
        headers=HTMX,
    )
    assert '<input type="hidden" name="confidence" value="3">' in r.text
    client.post(
        reverse("cards:grade", args=[question.pk]),
        {"version": schedule.version, "grade": 4, "confidence": "3"},
        headers=HTMX,
    )
    assert ReviewLog.objects.get().confidence == 3


def test_a_grade_without_a_rating_logs_none(client, rater):
    _, question, schedule = rater
    client.post(
        reverse("cards:grade", args=[question.pk]),
        {"version": schedule.version, "grade": 4},
    )
    assert ReviewLog.objects.get().confidence is None


@pytest.mark.parametrize("bad", ["0", "4", "x", "٣"])
def test_a_bad_rating_is_refused_and_writes_nothing(client, rater, bad):
    _, question, schedule = rater
    r = client.post(
        reverse("cards:grade", args=[question.pk]),
        {"version": schedule.version, "grade": 4, "confidence": bad},
    )
    assert r.status_code == 400 and not ReviewLog.objects.exists()


def test_the_typed_answer_form_has_an_optional_rating(client, questions):
    user = make_user(username="typer", rate_confidence=True, type_answer_first=True)
    client.force_login(user)
    page = client.get(reverse("cards:review")).text
    assert '<input type="radio" name="confidence" value="1">' in page

"""The mock pages refuse what the mock's state no longer allows (a stale tab,
a double click, a hand-made request) with a clear message, writing nothing."""

import pytest
from django.urls import reverse

from cards.mock import services
from cards.mock.models import MockAnswer, MockInterview
from cards.models import Question, ReviewLog, ReviewSchedule
from tests.factories import make_user

HTMX = {"HX-Request": "true"}


@pytest.fixture
def learner(questions, client):
    user = make_user(username="refused")
    client.force_login(user)
    return user


def started(client, count=1):
    r = client.post(reverse("cards:mock_start"), {"count": count})
    assert r.status_code == 302
    return MockInterview.objects.latest("pk")


def finished(client, count=1):
    mock = started(client, count)
    while (item := services.current(mock)) is not None:
        client.post(
            reverse("cards:mock_answer", args=[mock.pk]),
            {"answer": item.pk, "text": "Attention weighs every token."},
        )
    return mock


def test_nothing_to_ask_is_said_on_the_setup_page(client, learner):
    Question.objects.update(is_active=False)
    r = client.post(reverse("cards:mock_start"), {"count": 6})
    assert r.status_code == 400
    assert "No active questions match that choice" in r.text
    assert not MockInterview.objects.exists()


def test_a_hand_in_without_its_answer_id_is_refused(client, learner, clock):
    mock = started(client)
    first = services.current(mock)
    r = client.post(reverse("cards:mock_answer", args=[mock.pk]), {"text": "x"})
    assert r.status_code == 400 and r["Content-Type"].startswith("text/plain")
    assert r.text == "This field is required."
    item = services.current(mock)
    assert item.pk == first.pk and item.submitted_at is None and item.text == ""


def test_the_debrief_of_an_unfinished_mock_goes_back_to_the_run(client, learner, clock):
    mock = started(client)
    r = client.get(reverse("cards:mock_debrief", args=[mock.pk]))
    assert r.status_code == 302
    assert r.url == reverse("cards:mock_run", args=[mock.pk])


def test_confirm_without_htmx_returns_to_the_answer_and_a_second_is_refused(
    client, learner, clock
):
    mock = finished(client)
    item = MockAnswer.objects.get(mock=mock)
    url = reverse("cards:mock_confirm", args=[mock.pk, item.pk])
    r = client.post(url, {"grade": "4"})
    assert r.status_code == 302 and r.url.endswith(f"#answer-{item.pk}")
    version = ReviewSchedule.objects.get(user=learner).version
    # A second tab confirms again, with another grade: 409, nothing logged.
    r = client.post(url, {"grade": "1"}, headers=HTMX)
    assert r.status_code == 409
    assert "already confirmed; undo it first" in r.text
    assert f'<article id="answer-{item.pk}"' in r.text
    assert [log.grade for log in ReviewLog.objects.all()] == [4]
    assert ReviewSchedule.objects.get(user=learner).version == version


def test_undo_of_an_answer_never_confirmed_is_refused(client, learner, clock):
    mock = finished(client)
    item = MockAnswer.objects.get(mock=mock)
    r = client.post(reverse("cards:mock_undo", args=[mock.pk, item.pk]), headers=HTMX)
    assert r.status_code == 409
    assert "no confirmed grade to undo" in r.text
    assert not ReviewLog.objects.exists()


def test_confirm_before_the_end_is_refused(client, learner, clock):
    mock = started(client, count=2)
    item = services.current(mock)
    r = client.post(
        reverse("cards:mock_confirm", args=[mock.pk, item.pk]),
        {"grade": "4"},
        headers=HTMX,
    )
    assert r.status_code == 409 and "Finish the interview first" in r.text
    assert not ReviewLog.objects.exists()


def test_review_these_soon_before_the_end_is_refused(client, learner, clock):
    mock = started(client, count=2)
    r = client.post(reverse("cards:mock_soon", args=[mock.pk]))
    assert r.status_code == 409
    assert r.text == services.NOT_FINISHED
    assert not ReviewLog.objects.exists()
    assert not ReviewSchedule.objects.filter(user=learner).exists()

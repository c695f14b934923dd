"""The mock pages over HTTP: setup, the run (reload, second tab, late),
drafts, the debrief and its confirmations, isolation, no-JS twins."""

import pytest
from django.urls import reverse

from cards.mock import services
from cards.mock.models import MockAnswer, MockInterview
from cards.models import Question, ReviewLog
from tests.factories import make_user

HTMX = {"HX-Request": "true"}
KEY = "what-is-a-transformer-architecture-and-why-is-it-important-for-generative-ai"
GOOD = (
    "Self-attention lets every token weigh how relevant every other token is. "
    "It processes all tokens in parallel instead of one at a time like an RNN."
)


@pytest.fixture
def learner(questions, client):
    user = make_user(username="mocker", rate_confidence=True)
    client.force_login(user)
    return user


def started(client, **data):
    r = client.post(reverse("cards:mock_start"), {"count": 2, **data})
    assert r.status_code == 302
    return MockInterview.objects.latest("pk")


def current(mock):
    return services.current(mock)


def test_setup_page_shows_the_form_and_past_mocks(client, learner, clock):
    r = client.get(reverse("cards:mock"))
    assert r.status_code == 200
    assert 'name="count"' in r.text and 'value="6"' in r.text
    assert "None yet" in r.text
    mock = started(client)
    r = client.get(reverse("cards:mock"))
    assert (
        reverse("cards:mock_run", args=[mock.pk]) in r.text and "Not finished" in r.text
    )


@pytest.mark.parametrize(
    "data",
    [{"count": "0"}, {"count": "13"}, {"count": "x"}, {"level": "9"}, {"seconds": "5"}],
)
def test_bad_setup_is_refused_and_writes_nothing(client, learner, data):
    r = client.post(reverse("cards:mock_start"), {"count": 6, **data})
    assert r.status_code == 400 and 'class="error"' in r.text
    assert not MockInterview.objects.exists()


def test_run_shows_the_prompt_clock_and_draft_but_never_the_answer(
    client, learner, clock
):
    mock = started(client)
    item = current(mock)
    url = reverse("cards:mock_run", args=[mock.pk])
    r = client.get(url)
    assert r.status_code == 200
    assert f'data-answer="{item.pk}"' in r.text and 'role="timer"' in r.text
    assert f"{item.time_limit_s} s</span>" in r.text
    assert item.question.answer_html not in r.text
    assert "How sure are you?" in r.text  # rate_confidence is on
    # Typing, then a reload 30 s later: the text and the clock are kept.
    r = client.post(
        reverse("cards:mock_draft", args=[mock.pk]),
        {"answer": item.pk, "text": "Half a thought"},
    )
    assert r.status_code == 204
    clock.shift(seconds=30)
    r = client.get(url)
    assert "Half a thought</textarea>" in r.text
    assert f"{item.time_limit_s - 30} s</span>" in r.text


def test_hand_in_with_htmx_swaps_in_the_next_question(client, learner, clock):
    mock = started(client)
    first = current(mock)
    r = client.post(
        reverse("cards:mock_answer", args=[mock.pk]),
        {"answer": first.pk, "text": "My answer", "confidence": "2"},
        headers=HTMX,
    )
    assert r.status_code == 200 and "<html" not in r.text
    assert '<section id="mock-question"' in r.text and "Question 2 of 2" in r.text
    first.refresh_from_db()
    assert first.confidence == 2 and first.text == "My answer"


def test_the_last_hand_in_leads_to_the_debrief(client, learner, clock):
    mock = started(client, count=1)
    r = client.post(
        reverse("cards:mock_answer", args=[mock.pk]),
        {"answer": current(mock).pk, "text": ""},
        headers=HTMX,
    )
    debrief = reverse("cards:mock_debrief", args=[mock.pk])
    assert r.status_code == 200 and r.headers["HX-Redirect"] == debrief
    assert client.get(reverse("cards:mock_run", args=[mock.pk])).url == debrief


def test_without_htmx_a_hand_in_redirects(client, learner, clock):
    mock = started(client)
    r = client.post(
        reverse("cards:mock_answer", args=[mock.pk]),
        {"answer": current(mock).pk, "text": "x"},
    )
    assert r.status_code == 302 and r.url == reverse("cards:mock_run", args=[mock.pk])


def test_a_second_tab_cannot_hand_in_or_save_over_an_answer_handed_in(
    client, learner, clock
):
    mock = started(client)
    first = current(mock)
    url = reverse("cards:mock_answer", args=[mock.pk])
    client.post(url, {"answer": first.pk, "text": "tab one"}, headers=HTMX)
    r = client.post(url, {"answer": first.pk, "text": "tab two"}, headers=HTMX)
    assert r.status_code == 409 and "already handed in" in r.text
    assert "Question 2 of 2" in r.text  # where the interview is now
    r = client.post(
        reverse("cards:mock_draft", args=[mock.pk]),
        {"answer": first.pk, "text": "tab two"},
    )
    assert r.status_code == 409
    first.refresh_from_db()
    assert first.text == "tab one"


def test_an_answer_after_the_deadline_and_grace_is_kept_and_marked_late(
    client, learner, clock
):
    mock = started(client, count=1, seconds=60)
    item = current(mock)
    clock.shift(seconds=66)
    r = client.get(reverse("cards:mock_run", args=[mock.pk]))
    assert "Time is up" in r.text and "0 s</span>" in r.text
    client.post(
        reverse("cards:mock_answer", args=[mock.pk]),
        {"answer": item.pk, "text": "late"},
    )
    item.refresh_from_db()
    assert item.is_late and item.text == "late"
    r = client.get(reverse("cards:mock_debrief", args=[mock.pk]))
    assert "Late" in r.text and "1 min 6 s of 1 min" in r.text


def test_a_draft_too_long_is_refused_and_writes_nothing(client, learner, clock):
    mock = started(client)
    item = current(mock)
    r = client.post(
        reverse("cards:mock_draft", args=[mock.pk]),
        {"answer": item.pk, "text": "x" * 5_001},
    )
    assert r.status_code == 400 and "5,000" in r.text
    item.refresh_from_db()
    assert item.draft == ""


def finish(client, mock, text=GOOD):
    while (item := current(mock)) is not None:
        client.post(
            reverse("cards:mock_answer", args=[mock.pk]),
            {"answer": item.pk, "text": text},
        )


def test_debrief_shows_points_reference_time_and_suggestion(client, learner, clock):
    question = Question.objects.get(key=KEY)
    Question.objects.exclude(pk=question.pk).update(is_active=False)
    mock = started(client, count=1)
    clock.shift(seconds=40)
    finish(client, mock)
    r = client.get(reverse("cards:mock_debrief", args=[mock.pk]))
    assert r.status_code == 200
    assert "Covered:" in r.text and "Reference answer" in r.text
    assert question.answer_html in r.text
    assert "Time: 40 s of 2 min 30 s" in r.text  # an Intermediate question
    assert "Suggested" in r.text and "Score: <strong>" in r.text


def test_confirm_and_undo_with_htmx_swap_the_answer_and_the_summary(
    client, learner, clock
):
    mock = started(client, count=1)
    finish(client, mock)
    item = MockAnswer.objects.get(mock=mock)
    r = client.post(
        reverse("cards:mock_confirm", args=[mock.pk, item.pk]),
        {"grade": "3"},
        headers=HTMX,
    )
    assert r.status_code == 200 and "<html" not in r.text
    assert (
        f'<article id="answer-{item.pk}"' in r.text
        and "Logged as <strong>Hard" in r.text
    )
    assert 'id="summary"' in r.text and 'hx-swap-oob="true"' in r.text
    assert ReviewLog.objects.get().kind == "mock"
    r = client.post(reverse("cards:mock_undo", args=[mock.pk, item.pk]), headers=HTMX)
    assert r.status_code == 200 and "Confirm or change the grade" in r.text
    assert not ReviewLog.objects.exists()


def test_a_grade_not_on_the_learners_buttons_is_refused(client, learner, clock):
    mock = started(client, count=1)
    finish(client, mock)
    item = MockAnswer.objects.get(mock=mock)
    r = client.post(
        reverse("cards:mock_confirm", args=[mock.pk, item.pk]), {"grade": "2"}
    )
    assert r.status_code == 400 and not ReviewLog.objects.exists()


def test_review_these_soon_without_js_redirects_to_the_summary(client, learner, clock):
    mock = started(client, count=2)
    finish(client, mock, text="")
    r = client.post(reverse("cards:mock_soon", args=[mock.pk]))
    assert r.status_code == 302 and r.url.endswith("#summary")
    r = client.get(reverse("cards:mock_debrief", args=[mock.pk]))
    assert "in your reviews by tomorrow" in r.text
    assert ReviewLog.objects.filter(kind="mock").count() == 2


def test_another_learners_mock_is_a_404_everywhere(client, learner, clock):
    other = make_user(username="other")
    mock = services.start_mock(user=other, now=clock.now, count=1, seed=1)
    item = current(mock)
    assert client.get(reverse("cards:mock_run", args=[mock.pk])).status_code == 404
    assert client.get(reverse("cards:mock_debrief", args=[mock.pk])).status_code == 404
    for name, args in [
        ("mock_draft", [mock.pk]),
        ("mock_answer", [mock.pk]),
        ("mock_confirm", [mock.pk, item.pk]),
        ("mock_undo", [mock.pk, item.pk]),
        ("mock_soon", [mock.pk]),
    ]:
        r = client.post(
            reverse(f"cards:{name}", args=args),
            {"answer": item.pk, "text": "x", "grade": 4},
        )
        assert r.status_code == 404, name
    item.refresh_from_db()
    assert item.draft == "" and not item.is_submitted


def test_login_required(client, db):
    r = client.get(reverse("cards:mock"))
    assert r.status_code == 302 and "/accounts/login/" in r.url


def test_scripts_carry_the_csp_nonce(client, learner, clock):
    mock = started(client)
    r = client.get(reverse("cards:mock_run", args=[mock.pk]))
    assert 'src="/static/js/mock.js" nonce="' in r.text


def test_past_mocks_show_their_time_in_the_learners_zone(client, questions):
    from datetime import UTC, datetime

    user = make_user(username="kiwi", time_zone="Pacific/Auckland")
    client.force_login(user)
    mock = services.start_mock(
        user=user, now=datetime(2026, 1, 5, 9, 0, tzinfo=UTC), count=1, seed=3
    )
    page = client.get(reverse("cards:mock")).text
    assert "5 Jan 2026, 22:00" in page  # 09:00 UTC is 22:00 in Auckland (NZDT)
    assert "5 Jan 2026, 09:00" not in page
    assert reverse("cards:mock_run", args=[mock.pk]) in page

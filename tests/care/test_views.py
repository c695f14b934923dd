"""The card's own page and its actions: htmx partials, PRG without htmx, privacy."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from cards.care import services
from cards.models import CardNote, ProblemReport, Suspension
from tests.factories import make_question, make_schedule, make_user

HX = {"HX-Request": "true"}
TODAY = date(2026, 1, 5)
NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)


@pytest.fixture
def question(db):
    return make_question(prompt="What is a KV cache?")


def test_the_page_shows_my_note_and_the_forms(logged_in_client, user, question):
    services.save_note(user=user, question=question, text="Keys & values <b>", now=NOW)
    r = logged_in_client.get(reverse("cards:my_card", args=[question.pk]))
    assert r.status_code == 200
    assert "Keys &amp; values &lt;b&gt;" in r.text  # plain text, escaped
    assert 'id="card-note"' in r.text and 'id="card-report"' in r.text
    assert "Suspend this card" in r.text


def test_another_learners_note_is_never_shown(client, user, question):
    services.save_note(user=user, question=question, text="secret of mine", now=NOW)
    other = make_user()
    client.force_login(other)
    for url in (
        reverse("cards:my_card", args=[question.pk]),
        reverse("cards:card_info", args=[question.pk]),
    ):
        assert "secret of mine" not in client.get(url).text


def test_saving_a_note_with_htmx_swaps_only_the_note(logged_in_client, user, question):
    r = logged_in_client.post(
        reverse("cards:card_note", args=[question.pk]),
        {"text": "Remember paging", "next": "/review/"},
        headers=HX,
    )
    assert r.status_code == 200 and "<html" not in r.text
    assert '<div id="card-note"' in r.text and "Remember paging" in r.text
    assert 'hx-swap-oob="innerHTML">Note saved.' in r.text
    assert CardNote.objects.get(user=user).text == "Remember paging"


def test_saving_a_note_without_htmx_redirects_back(logged_in_client, user, question):
    r = logged_in_client.post(
        reverse("cards:card_note", args=[question.pk]),
        {"text": "n", "next": "/review/?level=1"},
    )
    assert r.status_code == 302 and r["Location"] == "/review/?level=1"


def test_an_offsite_next_is_not_followed(logged_in_client, question):
    r = logged_in_client.post(
        reverse("cards:card_note", args=[question.pk]),
        {"text": "n", "next": "https://evil.example/"},
    )
    assert r["Location"] == reverse("cards:my_card", args=[question.pk])


def test_a_too_long_note_is_a_clear_400_and_writes_nothing(logged_in_client, question):
    url = reverse("cards:card_note", args=[question.pk])
    for headers in (HX, {}):
        r = logged_in_client.post(url, {"text": "x" * 1001}, headers=headers)
        assert r.status_code == 400 and "the limit is 1,000" in r.text
        assert 'aria-invalid="true"' in r.text
    assert not CardNote.objects.exists()


def test_suspend_and_unsuspend_redirect_back_to_the_review(
    logged_in_client, user, question
):
    url = reverse("cards:suspend", args=[question.pk])
    r = logged_in_client.post(url, {"action": "suspend", "next": "/review/"})
    assert r.status_code == 302 and r["Location"] == "/review/"
    assert Suspension.objects.filter(user=user, question=question).exists()
    page = logged_in_client.get("/review/").text
    assert "Card suspended" in page and "What is a KV cache?" not in page
    logged_in_client.post(url, {"action": "unsuspend", "next": "/review/"})
    assert not Suspension.objects.exists()
    assert "What is a KV cache?" in logged_in_client.get("/review/").text


def test_suspend_needs_a_known_action(logged_in_client, question):
    r = logged_in_client.post(reverse("cards:suspend", args=[question.pk]), {})
    assert r.status_code == 400 and not Suspension.objects.exists()


def test_a_report_with_htmx_thanks_the_learner(logged_in_client, user, question):
    r = logged_in_client.post(
        reverse("cards:report", args=[question.pk]),
        {"note": "The answer misses GQA"},
        headers=HX,
    )
    assert r.status_code == 200 and "Thank you" in r.text and "<html" not in r.text
    report = ProblemReport.objects.get()
    assert report.reporter == user and report.note == "The answer misses GQA"


def test_an_empty_report_is_refused(logged_in_client, question):
    r = logged_in_client.post(
        reverse("cards:report", args=[question.pk]), {"note": " "}, headers=HX
    )
    assert r.status_code == 400 and "Say in a few words" in r.text
    assert not ProblemReport.objects.exists()


def test_the_answer_shows_the_note_and_the_card_tools(logged_in_client, user, question):
    services.save_note(user=user, question=question, text="My hint", now=NOW)
    r = logged_in_client.get(
        reverse("cards:reveal", args=[question.pk]), {"version": 0}, headers=HX
    )
    assert r.status_code == 200
    assert "My hint" in r.text and "Suspend this card" in r.text
    assert 'name="next" value="/review/"' in r.text
    # The front never shows the note: it travels in the hidden back only.
    page = logged_in_client.get("/review/").text
    front = re.sub(r"<template data-back>.*?</template>", "", page, flags=re.S)
    assert "My hint" not in front and "My hint" in page


def test_a_leech_is_flagged_on_the_answer_and_card_info(logged_in_client, user):
    schedule = make_schedule(user=user, lapses=8, due_on=TODAY - timedelta(days=1))
    r = logged_in_client.get(
        reverse("cards:reveal", args=[schedule.question_id]),
        {"version": schedule.version},
        headers=HX,
    )
    assert "Leech:" in r.text and "8 times" in r.text
    assert '<details class="care-report" open>' in r.text
    info = logged_in_client.get(reverse("cards:card_info", args=[schedule.question_id]))
    assert "Leech:" in info.text


def test_the_actions_need_a_login(client, question):
    for name in ("cards:my_card", "cards:suspend", "cards:card_note", "cards:report"):
        r = client.post(reverse(name, args=[question.pk]), {"action": "suspend"})
        assert r.status_code in (302, 405)
    assert not Suspension.objects.exists()


def test_unknown_question_is_404(logged_in_client):
    r = logged_in_client.post(reverse("cards:report", args=[999_999]), {"note": "x"})
    assert r.status_code == 404


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_the_answer_that_makes_a_leech_says_so(logged_in_client, user, htmx):
    schedule = make_schedule(user=user, lapses=7, due_on=TODAY, repetitions=3)
    url = reverse("cards:grade", args=[schedule.question_id])
    data = {"grade": 1, "version": schedule.version}
    r = logged_in_client.post(url, data, headers=HX if htmx else {}, follow=not htmx)
    assert r.status_code == 200
    assert "now a leech: you have forgotten it 8 times" in r.text


def test_a_leech_forgotten_again_is_not_announced_twice(logged_in_client, user):
    schedule = make_schedule(user=user, lapses=8, due_on=TODAY, repetitions=3)
    r = logged_in_client.post(
        reverse("cards:grade", args=[schedule.question_id]),
        {"grade": 1, "version": schedule.version},
        headers=HX,
    )
    assert r.status_code == 200 and "now a leech" not in r.text


def test_the_suspended_list_shows_my_suspended_cards_only(
    logged_in_client, user, question
):
    other_question = make_question(prompt="Someone else's suspension?")
    services.suspend_card(user=user, question=question, now=NOW)
    services.suspend_card(user=make_user(), question=other_question, now=NOW)
    r = logged_in_client.get(reverse("cards:suspended"))
    assert r.status_code == 200
    assert "What is a KV cache?" in r.text
    assert "Someone else" not in r.text
    assert 'aria-label="Unsuspend: What is a KV cache?"' in r.text
    r = logged_in_client.post(
        reverse("cards:suspend", args=[question.pk]),
        {"action": "unsuspend", "next": reverse("cards:suspended")},
        follow=True,
    )
    assert "No suspended cards." in r.text and "back in your queue" in r.text

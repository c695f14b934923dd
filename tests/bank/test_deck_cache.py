"""/deck.apkg is built once per version of the bank and served with an ETag."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cards.bank import services as bank_services
from cards.models import Question

URL = "/deck.apkg"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def _decks(data_dir) -> list:
    return sorted(data_dir.glob("cache/deck-*.apkg"))


def _builds(client) -> tuple[object, bool]:
    """The response, and whether answering it read the questions' text."""
    with CaptureQueriesContext(connection) as queries:
        r = client.get(URL)
    return r, any('"prompt"' in q["sql"] for q in queries.captured_queries)


def test_the_deck_is_built_once_and_then_served_from_the_cache(
    logged_in_client, questions, data_dir
):
    first, built = _builds(logged_in_client)
    assert first.status_code == 200 and built
    body = b"".join(first.streaming_content)
    assert body.startswith(b"PK") and first["ETag"]
    [deck] = _decks(data_dir)
    stamp = deck.stat().st_mtime_ns

    again, built = _builds(logged_in_client)
    assert again.status_code == 200 and not built
    assert b"".join(again.streaming_content) == body
    assert again["ETag"] == first["ETag"] and deck.stat().st_mtime_ns == stamp


def test_an_unchanged_deck_answers_304(logged_in_client, questions):
    etag = logged_in_client.get(URL)["ETag"]
    r = logged_in_client.get(URL, headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.content == b""


@pytest.mark.parametrize("change", ["edit", "retire", "add"])
def test_a_new_bank_version_builds_a_new_deck(
    logged_in_client, questions, data_dir, clock, change
):
    etag = logged_in_client.get(URL)["ETag"]
    clock.shift(minutes=1)
    question = Question.objects.active().first()
    if change == "edit":
        question.answer += "\n\nAnd one more thing."
        bank_services.save_question(question=question, editor=None, now=clock.now)
    elif change == "retire":
        bank_services.set_questions_active(
            questions=Question.objects.filter(pk=question.pk), is_active=False
        )
    else:
        Question.objects.create(key="brand-new", prompt="New?", answer="Yes.")
    r, built = _builds(logged_in_client)
    assert built and r["ETag"] != etag
    assert logged_in_client.get(URL, headers={"If-None-Match": etag}).status_code == 200
    assert len(_decks(data_dir)) == 1  # the old version's file is gone


def test_the_deck_needs_login(client, db):
    assert client.get(reverse("cards:anki_deck")).status_code == 302

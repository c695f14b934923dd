"""The grade response carries the sentence a screen reader hears (out of band)."""

import re

from django.urls import reverse

from tests.factories import make_question

HTMX = {"HX-Request": "true"}


def announcement(text: str) -> str:
    found = re.findall(
        r'<div id="review-status" hx-swap-oob="innerHTML">([^<]*)</div>', text
    )
    assert len(found) == 1, text
    return found[0]


def grade(client, question, grade="4", headers=HTMX):
    url = reverse("cards:grade", args=[question.pk])
    return client.post(url, {"grade": grade, "version": "0"}, headers=headers)


def test_grade_announces_the_next_card_and_what_is_left(logged_in_client):
    first = make_question(prompt="What is **RAG** & why?")
    make_question(prompt="Define `top-p` sampling.")
    r = grade(logged_in_client, first)
    assert r.status_code == 200
    assert announcement(r.text) == (
        "Answer saved. Next question (new, Basic): Define top-p sampling. "
        "Left today: 1 new, 0 reviews, 0 again today."
    )


def test_last_grade_announces_the_end(logged_in_client):
    only = make_question()
    assert announcement(grade(logged_in_client, only).text) == (
        "Answer saved. All done for today."
    )


def test_the_page_has_an_empty_region_and_no_announcement(logged_in_client):
    make_question()
    page = logged_in_client.get(reverse("cards:review")).text
    assert re.search(r'<div id="review-status"[^>]*role="status"[^>]*></div>', page)
    assert "hx-swap-oob" not in page
    # Without JavaScript a grade redirects; the new page announces nothing.
    question = make_question()
    assert grade(logged_in_client, question, headers={}).status_code == 302

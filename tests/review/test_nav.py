"""The main navigation marks the section the learner is in, on every review page."""

import re

from django.urls import reverse

from tests.factories import make_question


def current_nav_items(html: str) -> list[str]:
    nav = html[html.index('<nav class="nav"') : html.index("</nav>")]
    return re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav)


def test_review_stays_current_on_the_answer_page_without_javascript(
    logged_in_client,
):
    question = make_question()
    front = logged_in_client.get(reverse("cards:review"))
    assert current_nav_items(front.text) == ["Review"]
    # With JavaScript off "Show answer" is a plain GET of the answer page.
    back = logged_in_client.get(
        reverse("cards:reveal", args=[question.pk]), {"version": 0}
    )
    assert back.status_code == 200 and 'id="answer"' in back.text
    assert current_nav_items(back.text) == ["Review"]


def test_other_pages_mark_their_own_item(logged_in_client):
    for name, label in (("cards:progress", "Progress"), ("cards:settings", "Settings")):
        r = logged_in_client.get(reverse(name))
        assert current_nav_items(r.text) == [label]
    assert current_nav_items(logged_in_client.get(reverse("home")).text) == []

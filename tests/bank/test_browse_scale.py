"""Browse and search at a realistic size (issue 16): 1,200 questions beside the
demo's opt-in placeholders, and a learner with started cards. Every page costs
at most six queries whatever its filters, sort or number, and a text search's
count stops at its cap (on PostgreSQL, where the count of a common word was
the cost; SQLite keeps its substring fallback and the same pages)."""

from datetime import date

import pytest
from django.urls import reverse

from cards.bank import browse
from cards.learner import demo
from cards.models import Question, ReviewSchedule, Topic
from tests.factories import sm2_fields

URL = reverse("cards:browse")
HTMX = {"HX-Request": "true"}
SIZE = 1_200


@pytest.fixture
def bank(db, user):
    topics = list(Topic.objects.filter(is_opt_in=False).order_by("pk"))
    made = Question.objects.bulk_create(
        Question(
            key=f"scale-{i:04d}",
            level=1 + i % 3,
            position=i,
            stage=1,
            prompt=f"How does a language model use cache number {i}?",
            answer="The model keeps keys and values." if i % 2 else "It reranks.",
        )
        for i in range(SIZE)
    )
    links = Question.topics.through
    links.objects.bulk_create(
        links(question_id=q.pk, topic_id=topics[i % len(topics)].pk)
        for i, q in enumerate(made)
    )
    demo.ensure_questions(60)  # in the opt-in topic this learner did not choose
    ReviewSchedule.objects.bulk_create(
        ReviewSchedule(
            user=user,
            question=question,
            due_on=date(2026, 1, 5),
            lapses=i % 4,
            **sm2_fields(2, i % 40),
        )
        for i, question in enumerate(made[:300])
    )
    return topics


def heading(text):
    start = text.index('<h2 id="results-heading">') + len('<h2 id="results-heading">')
    return text[start : text.index("</h2>", start)]


# Filters, sorts and pages -> the results' heading. One bank for all of them:
# building it is most of the test's time.
CASES = [
    ({}, "1,200 questions · page 1 of 24"),
    ({"page": "24"}, "1,200 questions · page 24 of 24"),
    ({"page": "999"}, "1,200 questions · page 24 of 24"),
    ({"level": "2", "sort": "ease"}, "400 questions · page 1 of 8"),
    ({"state": "new", "sort": "lapses"}, "900 questions · page 1 of 18"),
    ({"q": "keys values", "page": "3"}, "600 questions · page 3 of 12"),
    ({"q": "model"}, "More than 1,000 questions · page 1 of 20"),
    ({"q": "model", "page": "20", "sort": "ease"}, "More than 1,000 questions · page 20 of 20"),
    ({"q": "zebra"}, "0 questions"),
]  # fmt: skip


def test_every_page_costs_at_most_six_queries(
    logged_in_client, bank, django_assert_max_num_queries
):
    for params, expected in CASES:
        with django_assert_max_num_queries(6):
            r = logged_in_client.get(URL, params)
        assert r.status_code == 200 and heading(r.text) == expected, params
        rows = r.text.count('class="browse-prompt"')
        assert rows == (0 if expected == "0 questions" else 50), params
        assert "(demo " not in r.text
        capped = 'id="results-capped"' in r.text
        assert capped == expected.startswith("More than"), params


def test_a_topic_filtered_search_and_its_htmx_swap_stay_bounded(
    logged_in_client, bank, django_assert_max_num_queries
):
    topic = bank[0]
    with django_assert_max_num_queries(6):
        r = logged_in_client.get(
            URL, {"q": "cache", "topic": topic.slug, "page": "2"}, headers=HTMX
        )
    assert heading(r.text) == "100 questions · page 2 of 2"
    assert "100 questions found." in r.text and "<html" not in r.text
    assert r.text.count(f"<span>{topic.name}</span>") == 50


def test_a_capped_search_pages_through_the_first_matches_in_order(
    logged_in_client, bank
):
    pages = [
        logged_in_client.get(URL, {"q": "model", "page": n}).text for n in (1, 2, 20)
    ]
    assert 'start="1"' in pages[0] and 'start="51"' in pages[1]
    assert 'start="951"' in pages[2] and 'rel="next"' not in pages[2]
    assert (
        "cache number 0?" in pages[0] and "cache number 599?" in pages[2]
    )  # Advanced, 200th
    assert browse.COUNT_CAP == 1_000

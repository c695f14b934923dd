"""Browse and search the bank as a learner (issue 16)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cards.bank import topic_choice
from cards.models import LearnerTopic, Level, Question, Topic, profile_for
from tests.factories import make_question, make_schedule, make_topic, make_user

URL = reverse("cards:browse")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def rag(db):
    return Topic.objects.get(slug="rag")


def today_of(user, clock):
    return profile_for(user).study_day(clock.now)


def test_browse_lists_the_bank_with_my_state_and_links_to_card_info(
    logged_in_client, user, rag, clock
):
    fresh = make_question(prompt="What is reranking?", topics=[rag])
    known = make_question(prompt="What is chunking?", level=Level.ADVANCED)
    make_schedule(
        user=user,
        question=known,
        interval_days=30,
        repetitions=4,
        lapses=2,
        ease="2.10",
    )
    r = logged_in_client.get(URL)
    assert r.status_code == 200 and "2 questions" in r.text
    assert reverse("cards:card_info", args=[fresh.pk]) in r.text
    assert "Retrieval &amp; RAG" in r.text
    assert "Mature" in r.text and "2 lapses" in r.text and "ease 2.10" in r.text


def test_filters_by_topic_level_and_my_state(logged_in_client, user, rag, clock):
    in_rag = make_question(prompt="Rag one?", topics=[rag])
    make_question(prompt="Other one?", level=Level.ADVANCED)
    learning = make_question(prompt="Learning one?", level=Level.ADVANCED)
    make_schedule(user=user, question=learning, repetitions=1, interval_days=1)
    r = logged_in_client.get(URL, {"topic": "rag"})
    assert "1 question<" in r.text and "Rag one?" in r.text
    r = logged_in_client.get(URL, {"level": Level.ADVANCED})
    assert "2 questions" in r.text and "Rag one?" not in r.text
    r = logged_in_client.get(URL, {"state": "learning"})
    assert "1 question<" in r.text and "Learning one?" in r.text
    r = logged_in_client.get(URL, {"state": "new"})
    assert "2 questions" in r.text and "Learning one?" not in r.text
    assert in_rag


def test_sorts_by_my_lapses_and_my_ease(logged_in_client, user):
    calm = make_question(prompt="Calm?")
    shaky = make_question(prompt="Shaky?")
    hard = make_question(prompt="Hard?")
    make_schedule(user=user, question=calm, lapses=0, ease="2.60")
    make_schedule(user=user, question=shaky, lapses=5, ease="2.00")
    make_schedule(user=user, question=hard, lapses=1, ease="1.30")
    text = logged_in_client.get(URL, {"sort": "lapses"}).text
    assert text.index("Shaky?") < text.index("Hard?") < text.index("Calm?")
    text = logged_in_client.get(URL, {"sort": "ease"}).text
    assert text.index("Hard?") < text.index("Shaky?") < text.index("Calm?")


def test_text_search_matches_prompts_and_answers(logged_in_client):
    make_question(prompt="What is a KV cache?", answer="Keys and values kept.")
    make_question(prompt="What is LoRA?", answer="Low-rank adapters for fine-tuning.")
    make_question(prompt="Other?", answer="Nothing here.")
    r = logged_in_client.get(URL, {"q": "cache"})
    assert "1 question<" in r.text and "KV cache" in r.text
    r = logged_in_client.get(URL, {"q": "adapters"})
    assert "1 question<" in r.text and "LoRA" in r.text
    r = logged_in_client.get(URL, {"q": "zebra"})
    assert "No question matches" in r.text


def test_pages_hold_50_questions(logged_in_client):
    Question.objects.bulk_create(
        Question(key=f"q-{i}", prompt=f"Prompt {i:03d}?", answer="A.", position=i)
        for i in range(120)
    )
    r = logged_in_client.get(URL)
    assert "120 questions · page 1 of 3" in r.text
    assert r.text.count('class="browse-prompt"') == 50
    r = logged_in_client.get(URL, {"page": 3})
    assert r.text.count('class="browse-prompt"') == 20 and 'start="101"' in r.text
    assert "Prompt 119?" in r.text


def test_a_page_costs_at_most_six_queries(
    logged_in_client, user, rag, django_assert_max_num_queries
):
    for i in range(60):
        q = make_question(prompt=f"Question {i}?", topics=[rag])
        if i % 3 == 0:
            make_schedule(user=user, question=q, lapses=i % 4)
    with django_assert_max_num_queries(6):
        r = logged_in_client.get(URL, {"topic": "rag", "sort": "lapses", "page": 2})
    assert r.status_code == 200 and "60 questions" in r.text
    with django_assert_max_num_queries(6):
        logged_in_client.get(URL, {"q": "question", "state": "young"})


def test_opt_in_topics_stay_out_of_other_learners_browse(logged_in_client, user):
    demo = make_topic(name="Demo placeholders", is_opt_in=True)
    make_question(prompt="(demo 001) placeholder?", topics=[demo])
    r = logged_in_client.get(URL)
    assert "(demo 001)" not in r.text and "Demo placeholders" not in r.text
    assert "0 questions" in r.text
    r = logged_in_client.get(URL, {"topic": demo.slug})
    assert r.status_code == 400  # not a topic this learner may pick
    demo_learner = make_user()
    LearnerTopic.objects.create(user=demo_learner, topic=demo, is_studied=True)
    logged_in_client.force_login(demo_learner)
    assert "(demo 001)" in logged_in_client.get(URL).text


def test_deselected_topics_can_still_be_browsed(logged_in_client, user, rag):
    make_question(prompt="Rag one?", topics=[rag])
    topic_choice.choose_topics(user=user, studied=[Topic.objects.get(slug="agents")])
    assert "Rag one?" in logged_in_client.get(URL, {"topic": "rag"}).text


def test_bad_filters_are_a_clear_400(logged_in_client):
    for params in ({"level": "7"}, {"state": "bogus"}, {"page": "x"}, {"q": "x" * 201}):
        r = logged_in_client.get(URL, params)
        assert r.status_code == 400 and "could not be used" in r.text


def test_htmx_gets_only_the_results_and_an_announcement(logged_in_client):
    make_question(prompt="Alone?")
    r = logged_in_client.get(URL, {"q": "alone"}, headers=HTMX)
    assert r.status_code == 200 and "<html" not in r.text
    assert '<section id="results"' in r.text
    assert 'id="browse-status"' in r.text and "1 question found." in r.text


def test_browse_needs_a_login(client, db):
    r = client.get(URL)
    assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_search_uses_stemming_and_the_indexed_column(logged_in_client):
    make_question(prompt="How are documents ranked?", answer="Rerankers score them.")
    with CaptureQueriesContext(connection) as queries:
        r = logged_in_client.get(URL, {"q": "ranking documents"})
    assert "1 question<" in r.text
    searches = [q["sql"] for q in queries if "websearch_to_tsquery" in q["sql"]]
    # The stored column (migration 0020), not the expression it is made of,
    # which PostgreSQL recomputed for every question (seconds at 10,000).
    assert searches and all(".search_vector @@" in sql for sql in searches)
    assert not any("to_tsvector" in sql for sql in searches)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'question_search'")
        assert cursor.fetchone() == (1,)
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attname = 'search_vector'"
            " AND attrelid = 'cards_question'::regclass"
        )
        assert cursor.fetchone() == ("m",)  # kept in the row (migration 0021)


def test_today_is_the_learners_study_day(logged_in_client, user, clock):
    q = make_question(prompt="Redrill?")
    make_schedule(
        user=user,
        question=q,
        repetitions=3,
        interval_days=30,
        redrill_on=today_of(user, clock),
    )
    assert "Learning" in logged_in_client.get(URL, {"state": "learning"}).text
    clock.shift(days=1)
    r = logged_in_client.get(URL, {"state": "learning"})
    assert "0 questions" in r.text and timedelta

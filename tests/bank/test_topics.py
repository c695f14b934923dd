"""Topics (issue 16): the pack's twelve, and their editing in the admin."""

import pytest
from django.urls import reverse

from cards.bank.topics import TOPICS
from cards.models import Question, Topic
from tests.factories import NO_KEY_POINT_FORMS, make_question, make_user


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user(username="root", is_superuser=True))
    return client


def test_the_migration_creates_the_packs_twelve_topics_in_order(db):
    assert list(Topic.objects.values_list("slug", "name")) == list(TOPICS)
    assert len(TOPICS) == 12


def test_admin_sets_a_questions_topics_sources_and_verified_date(admin_client):
    question = make_question()
    rag, agents = Topic.objects.get(slug="rag"), Topic.objects.get(slug="agents")
    r = admin_client.post(
        reverse("admin:cards_question_change", args=[question.pk]),
        {
            "key": question.key,
            "level": question.level,
            "position": question.position,
            "prompt": question.prompt,
            "answer": question.answer,
            "is_active": "on",
            "topics": [rag.pk, agents.pk],
            "sources": "Lewis et al. 2020\r\nhttps://example.org/docs",
            "verified_on": "2026-12-01",
        }
        | NO_KEY_POINT_FORMS,
    )
    assert r.status_code == 302, r.text
    question = Question.objects.get(pk=question.pk)
    assert set(question.topics.all()) == {rag, agents}
    assert question.source_list == ["Lewis et al. 2020", "https://example.org/docs"]
    assert str(question.verified_on) == "2026-12-01"


def test_admin_adds_a_topic_and_lists_its_question_count(admin_client):
    r = admin_client.post(
        reverse("admin:cards_topic_add"),
        {"name": "Speech", "slug": "speech", "order": 20},
    )
    assert r.status_code == 302, r.text
    make_question(topics=[Topic.objects.get(slug="speech")])
    r = admin_client.get(reverse("admin:cards_topic_changelist"))
    assert r.status_code == 200 and "Speech" in r.text

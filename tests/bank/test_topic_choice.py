"""Learners choose their topics (issue 16): Settings, the queue, progress."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from cards.bank import topic_choice
from cards.models import LearnerProfile, LearnerTopic, Topic, profile_for
from cards.progress import queries
from cards.review import queue
from tests.factories import make_question, make_schedule, make_topic, make_user

NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)


@pytest.fixture
def learner(db):
    return make_user()


def snap(user, levels=()):
    return queue.snapshot(user=user, profile=profile_for(user), now=NOW, levels=levels)


def test_a_new_learner_studies_every_topic_but_opt_in_ones(learner):
    demo = make_topic(is_opt_in=True)
    studied = topic_choice.studied_topics(learner)
    assert len(studied) == 12 and demo not in studied
    assert demo not in topic_choice.visible_topics(learner)


def test_the_queue_skips_deselected_topics_in_new_cards_and_counts(learner):
    rag, agents = Topic.objects.get(slug="rag"), Topic.objects.get(slug="agents")
    first = make_question(topics=[rag])
    second = make_question(topics=[agents])
    both = make_question(topics=[rag, agents])
    untopical = make_question()
    assert snap(learner).new_available == 4
    assert snap(learner).card.question_id == first.pk
    topic_choice.choose_topics(user=learner, studied=[agents])
    q = snap(learner)
    assert q.card.question_id == second.pk
    assert q.new_available == 3  # agents, both, and the question in no topic
    assert {both.pk, untopical.pk} and LearnerTopic.objects.count() == 11


def test_due_reviews_of_a_deselected_topic_leave_the_queue_and_its_limits(learner):
    rag, agents = Topic.objects.get(slug="rag"), Topic.objects.get(slug="agents")
    for topic in (rag, rag, agents):
        make_schedule(
            user=learner,
            question=make_question(topics=[topic]),
            due_on=datetime(2026, 1, 1).date(),
        )
    assert snap(learner).due == 3
    topic_choice.choose_topics(user=learner, studied=[agents])
    q = snap(learner)
    assert q.due == 1 and q.card.kind == "review"
    assert snap(learner, levels=[3]).due == 0  # the level filter still applies


def test_an_opt_in_topic_reaches_only_the_learner_who_chose_it(learner):
    demo = make_topic(is_opt_in=True)
    placeholder = make_question(topics=[demo], position=0)
    other = make_user()
    LearnerTopic.objects.create(user=learner, topic=demo, is_studied=True)
    assert snap(learner).card.question_id == placeholder.pk
    assert snap(other).card is None and snap(other).new_available == 0


def test_settings_save_the_topics_and_refuse_none(client, learner):
    client.force_login(learner)
    page = client.get(reverse("cards:settings"))
    assert page.status_code == 200 and "Topics I study" in page.text
    assert page.text.count('name="topics"') == 12
    rag = Topic.objects.get(slug="rag")
    r = client.post(reverse("cards:topic_settings"), {"topics": [rag.pk]})
    assert r.status_code == 302
    assert topic_choice.studied_topics(learner) == [rag]
    r = client.post(reverse("cards:topic_settings"), {})
    assert r.status_code == 400 and "Choose at least one topic." in r.text
    assert topic_choice.studied_topics(learner) == [rag]  # nothing written


def test_settings_cannot_choose_a_hidden_opt_in_topic(client, learner):
    demo = make_topic(is_opt_in=True)
    client.force_login(learner)
    r = client.post(reverse("cards:topic_settings"), {"topics": [demo.pk]})
    assert r.status_code == 400
    assert not LearnerTopic.objects.filter(user=learner).exists()


def test_progress_counts_only_studied_topics_and_shows_mastery_per_topic(learner):
    rag, agents = Topic.objects.get(slug="rag"), Topic.objects.get(slug="agents")
    make_schedule(
        user=learner,
        question=make_question(topics=[rag]),
        interval_days=30,
        repetitions=3,
    )
    make_question(topics=[rag])
    make_question(topics=[agents])
    rows = {t.slug: t for t in queries.topic_mastery(learner)}
    assert (rows["rag"].questions, rows["rag"].started, rows["rag"].mature) == (2, 1, 1)
    assert rows["rag"].share == "50%" and rows["agents"].started == 0
    topic_choice.choose_topics(user=learner, studied=[agents])
    assert [t.slug for t in queries.topic_mastery(learner)] == ["agents"]
    levels = queries.cards_by_level(learner, today=NOW.date())
    assert sum(lv.questions for lv in levels) == 1


def test_progress_page_shows_the_topic_table(client, learner):
    make_question(topics=[Topic.objects.get(slug="rag")])
    client.force_login(learner)
    r = client.get(reverse("cards:progress"))
    assert r.status_code == 200 and "Mastery per topic" in r.text
    assert "Retrieval &amp; RAG" in r.text


def test_deleting_the_learner_removes_their_topic_choices(learner):
    LearnerTopic.objects.create(
        user=learner, topic=Topic.objects.first(), is_studied=False
    )
    learner.delete()
    assert not LearnerTopic.objects.exists()
    assert LearnerProfile.objects.count() == 0

"""Topics in mock interviews (issue 18 on issue 16's topics)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cards.mock import services
from cards.mock.models import MockInterview
from cards.models import LearnerTopic, ReviewLog
from cards.progress import queries
from tests.factories import (
    make_log,
    make_question,
    make_schedule,
    make_topic,
    make_user,
)


@pytest.fixture
def bank(db):
    rag, agents = make_topic(name="RAG"), make_topic(name="Agents")
    demo = make_topic(name="Demo", is_opt_in=True)
    qs = {
        "rag": [make_question(topics=(rag,)) for _ in range(3)],
        "agents": [make_question(topics=(agents,)) for _ in range(3)],
        "demo": [make_question(topics=(demo,)) for _ in range(3)],
    }
    return {"rag": rag, "agents": agents, "demo": demo}, qs


def asked(mock) -> set[int]:
    return set(mock.answers.values_list("question_id", flat=True))


def ids(qs) -> set[int]:
    return {q.pk for q in qs}


def test_a_mock_keeps_to_the_chosen_topics(bank, clock):
    topics, qs = bank
    user = make_user()
    mock = services.start_mock(
        user=user, now=clock.now, topics=[topics["rag"].slug], seed=1
    )
    assert asked(mock) == ids(qs["rag"]) and mock.topics == [topics["rag"].slug]


def test_opt_in_and_skipped_topics_stay_out_of_a_mock(bank, clock):
    topics, qs = bank
    user = make_user()
    mock = services.start_mock(user=user, now=clock.now, count=12, seed=1)
    assert asked(mock) == ids(qs["rag"]) | ids(qs["agents"])
    LearnerTopic.objects.create(user=user, topic=topics["agents"], is_studied=False)
    LearnerTopic.objects.create(user=user, topic=topics["demo"], is_studied=True)
    mock = services.start_mock(user=user, now=clock.now, count=12, seed=1)
    assert asked(mock) == ids(qs["rag"]) | ids(qs["demo"])
    studied = {slug for slug, _ in services.studied_topics(user)}
    assert {topics["rag"].slug, topics["demo"].slug} <= studied
    assert topics["agents"].slug not in studied


def test_setup_page_offers_the_studied_topics_and_refuses_others(client, bank, clock):
    topics, _ = bank
    user = make_user()
    client.force_login(user)
    page = client.get(reverse("cards:mock")).text
    assert f'value="{topics["rag"].slug}"' in page and "Demo" not in page
    r = client.post(
        reverse("cards:mock_start"), {"count": 2, "topic": topics["demo"].slug}
    )
    assert r.status_code == 400 and "There is no topic" in r.text
    assert not MockInterview.objects.exists()


def test_the_debrief_names_the_weakest_topics(client, bank, clock):
    topics, qs = bank
    user = make_user()
    client.force_login(user)
    mock = services.start_mock(user=user, now=clock.now, count=12, seed=1)
    for item in list(mock.answers.order_by("position")):
        services.hand_in(mock=mock, answer_id=item.pk, text="", now=clock.now)
    # Questions without key points have no score: give the RAG ones a low one.
    mock.answers.filter(question__topics=topics["rag"]).update(score=0.2)
    mock.answers.filter(question__topics=topics["agents"]).update(score=0.95)
    page = client.get(reverse("cards:mock_debrief", args=[mock.pk])).text
    assert "Weakest topics" in page and "<strong>RAG</strong>: 20%" in page
    assert "<strong>Agents</strong>" not in page


def test_calibration_per_topic(bank, clock):
    topics, qs = bank
    user = make_user()
    today = user.profile.study_day(clock.now)
    logs = []
    for q in qs["rag"]:
        schedule = make_schedule(
            user=user, question=q, due_on=today + timedelta(days=3)
        )
        log = make_log(
            schedule=schedule,
            grade=4,
            reviewed_at=clock.now,
            study_day=today,
            save=False,
        )
        log.confidence = 3
        logs.append(log)
    ReviewLog.objects.bulk_create(logs)
    assert queries.calibration_topic_counts(user) == [(3, "RAG", 3, 3)]

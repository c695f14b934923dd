"""Issue 16's budget: the review loop's round trips hold with a topic filter
on. The queue applies the learner's topics inside its own statements
(queue_sql.studied_by), so a learner who deselected a topic, with an opt-in
topic in the bank, pays the same round trips per card as one who did not."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse

from bench import wire
from cards.bank import topic_choice
from cards.models import Topic
from tests.clock import frozen_moment
from tests.factories import make_question, make_schedule, make_topic, make_user


def _trips(client, learner, *, topics):
    """Round trips of the review page and of grading two due cards."""
    today = learner.profile.study_day(frozen_moment())
    due = [
        make_schedule(
            user=learner,
            question=make_question(topics=topics),
            due_on=today - timedelta(days=2),
        )
        for _ in range(3)
    ]
    make_question(topics=topics)  # a new card to follow
    client.force_login(learner)
    assert client.get(reverse("cards:review")).status_code == 200  # user cached
    trips = []
    connection.close_if_unusable_or_obsolete()
    with wire.traced() as trace:
        assert client.get(reverse("cards:review")).status_code == 200
    trips.append((trace.round_trips, trace.summary()))
    for schedule in due[:2]:
        connection.close_if_unusable_or_obsolete()  # as request_started does
        with wire.traced() as trace:
            r = client.post(
                reverse("cards:grade", args=[schedule.question_id]),
                {"grade": 4, "version": schedule.version, "shown_at": "1"},
                headers={"HX-Request": "true"},
            )
        assert r.status_code == 200 and "<template data-back>" in r.text
        trips.append((trace.round_trips, trace.summary()))
    return trips


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_topic_filter_adds_no_round_trip_to_the_review_loop(client):
    if connection.vendor != "postgresql":
        pytest.skip("libpq's trace is PostgreSQL's")
    rag, agents = Topic.objects.get(slug="rag"), Topic.objects.get(slug="agents")
    demo = make_topic(name="Demo placeholders", is_opt_in=True)
    make_question(topics=[demo])  # an opt-in topic this learner did not choose
    make_question(topics=[agents])  # a topic this learner deselects
    plain = _trips(client, make_user(username="all-topics"), topics=[rag])
    filtered = make_user(username="rag-only")
    topic_choice.choose_topics(user=filtered, studied=[rag])
    assert topic_choice.studied_topics(filtered) == [rag]
    assert _trips(client, filtered, topics=[rag]) == plain

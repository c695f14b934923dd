"""Drill my weakest (issue 16): which cards, and answers off the schedule."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cards.bank import topic_choice
from cards.models import ReviewKind, ReviewLog, ReviewSchedule, Topic, profile_for
from cards.review import drill
from tests.factories import make_question, make_schedule, make_user

START = reverse("cards:drill")
CARD = reverse("cards:drill_card")


@pytest.fixture
def later(user, clock):
    """A due date well after today: drilled cards are not due."""
    return profile_for(user).study_day(clock.now) + timedelta(days=20)


def weak_cards(user, later):
    rag = Topic.objects.get(slug="rag")
    cards = {}
    for name, ease, lapses, topics in (
        ("calm", "2.70", 0, []),
        ("lowest-ease", "1.30", 1, [rag]),
        ("many-lapses", "2.00", 6, []),
        ("middle", "1.90", 2, [rag]),
    ):
        q = make_question(prompt=f"{name}?", topics=topics)
        cards[name] = make_schedule(
            user=user,
            question=q,
            ease=ease,
            lapses=lapses,
            due_on=later,
            repetitions=4,
            interval_days=30,
        )
    return cards


def test_weakest_by_ease_by_lapses_and_within_a_topic(user, later):
    cards = weak_cards(user, later)
    ids = {s.question_id: name for name, s in cards.items()}
    by_ease = [ids[i] for i in drill.weakest(user, size=3)]
    assert by_ease == ["lowest-ease", "middle", "many-lapses"]
    by_lapses = [ids[i] for i in drill.weakest(user, size=2, by="lapses")]
    assert by_lapses == ["many-lapses", "middle"]
    rag = Topic.objects.get(slug="rag")
    assert [ids[i] for i in drill.weakest(user, size=10, topic=rag)] == [
        "lowest-ease",
        "middle",
    ]
    assert drill.weakest(make_user(), size=10) == []  # only my own cards


def test_weakest_leaves_out_deselected_topics(user, later):
    weak_cards(user, later)
    topic_choice.choose_topics(user=user, studied=[Topic.objects.get(slug="agents")])
    assert len(drill.weakest(user, size=10)) == 2  # the two in no topic


def test_a_drill_session_logs_drills_a_failure_lapses_a_pass_keeps_the_interval(
    logged_in_client, user, later
):
    cards = weak_cards(user, later)
    r = logged_in_client.post(START, {"size": 5, "by": "ease", "topic": "rag"})
    assert r.status_code == 302 and r["Location"] == CARD
    page = logged_in_client.get(CARD)
    assert "lowest-ease?" in page.text and "card 1 of 2" in page.text
    assert 'data-action="reveal"' in page.text
    page = logged_in_client.get(CARD, {"answer": "1"})
    assert 'name="grade"' in page.text
    first = cards["lowest-ease"]
    r = logged_in_client.post(
        reverse("cards:drill_grade", args=[first.question_id]),
        {"grade": 1, "version": first.version},
    )
    assert r.status_code == 302
    first.refresh_from_db()
    assert first.lapses == 2 and first.interval_days < 30 and first.redrill_on is None
    second = cards["middle"]
    before = (second.interval_days, second.due_on, second.ease)
    logged_in_client.post(
        reverse("cards:drill_grade", args=[second.question_id]),
        {"grade": 5, "version": second.version},
    )
    second.refresh_from_db()
    assert (second.interval_days, second.due_on, second.ease) == before
    kinds = list(ReviewLog.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == [ReviewKind.DRILL, ReviewKind.DRILL]
    done = logged_in_client.get(CARD)
    assert "Drill done" in done.text and "1 failed" in done.text


def test_grading_a_card_outside_the_drill_changes_nothing(
    logged_in_client, user, later
):
    cards = weak_cards(user, later)
    logged_in_client.post(START, {"size": 5, "by": "ease"})
    other = cards["calm"]
    r = logged_in_client.post(
        reverse("cards:drill_grade", args=[other.question_id]),
        {"grade": 1, "version": other.version},
    )
    assert r.status_code == 302 and not ReviewLog.objects.exists()


def test_a_stale_answer_is_refused_and_the_drill_moves_on(
    logged_in_client, user, later
):
    cards = weak_cards(user, later)
    logged_in_client.post(START, {"size": 5, "by": "ease"})
    first = cards["lowest-ease"]
    r = logged_in_client.post(
        reverse("cards:drill_grade", args=[first.question_id]),
        {"grade": 1, "version": first.version + 7},
    )
    assert r.status_code == 302 and not ReviewLog.objects.exists()
    assert "card 2 of 4" in logged_in_client.get(CARD).text


def test_nothing_to_drill_and_bad_choices(logged_in_client, user):
    r = logged_in_client.post(START, {"size": 10, "by": "ease"}, follow=True)
    assert "No started cards to drill" in r.text
    r = logged_in_client.post(START, {"size": 7, "by": "ease"})
    assert r.status_code == 400 and "Nothing was started" in r.text
    assert logged_in_client.get(CARD)["Location"] == START


def test_the_progress_page_links_its_hardest_cards_to_the_drill(logged_in_client):
    r = logged_in_client.get(reverse("cards:progress"))
    assert f'href="{START}?by=ease"' in r.text


def test_drill_pages_need_a_login(client, db):
    for url in (START, CARD):
        assert client.get(url).status_code == 302


def test_a_retired_card_is_skipped(logged_in_client, user, later):
    cards = weak_cards(user, later)
    logged_in_client.post(START, {"size": 5, "by": "ease"})
    cards["lowest-ease"].question.__class__.objects.filter(
        pk=cards["lowest-ease"].question_id
    ).update(is_active=False)
    page = logged_in_client.get(CARD)
    assert "middle?" in page.text and ReviewSchedule.objects.count() == 4

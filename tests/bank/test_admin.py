"""The question bank in the Django admin."""

import pytest
from django.urls import reverse

from cards.models import Level, Question, ReviewSchedule
from tests.factories import NO_KEY_POINT_FORMS, make_question, make_schedule, make_user


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user(username="root", is_superuser=True))
    return client


def test_question_list_search_and_filters(admin_client, questions):
    url = reverse("admin:cards_question_changelist")
    r = admin_client.get(url)
    assert r.status_code == 200
    assert "What is Generative AI?" in r.text
    r = admin_client.get(url, {"q": "latent"})
    assert "1 result" in r.text and "latent space" in r.text
    r = admin_client.get(url, {"level__exact": Level.ADVANCED})
    assert "4 results" in r.text
    r = admin_client.get(url, {"q": "self-attention"})  # searches answers too
    assert "1 result" in r.text


def test_add_question(admin_client, db):
    r = admin_client.post(
        reverse("admin:cards_question_add"),
        {
            "key": "what-is-rag",
            "level": Level.INTERMEDIATE,
            "position": 11,
            "prompt": "What is RAG?",
            "answer": "Retrieval-augmented generation.",
            "is_active": "on",
        }
        | NO_KEY_POINT_FORMS,
    )
    assert r.status_code == 302, r.text
    assert Question.objects.get(key="what-is-rag").level == Level.INTERMEDIATE


def test_edit_question_keeps_schedules(admin_client, db):
    learner = make_user()
    schedule = make_schedule(user=learner, repetitions=4, interval_days=45, ease="2.9")
    question = schedule.question
    r = admin_client.post(
        reverse("admin:cards_question_change", args=[question.pk]),
        {
            "key": question.key,
            "level": question.level,
            "position": question.position,
            "prompt": "A clearer prompt?",
            "answer": question.answer,
            "is_active": "on",
        }
        | NO_KEY_POINT_FORMS,
    )
    assert r.status_code == 302, r.text
    schedule.refresh_from_db()
    assert schedule.question.prompt == "A clearer prompt?"
    assert (schedule.repetitions, schedule.interval_days, str(schedule.ease)) == (
        4,
        45,
        "2.90",
    )


def test_change_page_shows_rendered_preview(admin_client, db):
    question = make_question(answer="* **bold** point")
    r = admin_client.get(reverse("admin:cards_question_change", args=[question.pk]))
    assert "<li><strong>bold</strong> point</li>" in r.text


def test_invalid_question_is_rejected(admin_client, db):
    r = admin_client.post(
        reverse("admin:cards_question_add"),
        {"key": "bad key!", "level": 9, "position": 1, "prompt": "", "answer": ""},
    )
    assert r.status_code == 200
    assert "errornote" in r.text
    assert not Question.objects.exists()


def test_bulk_deactivate_and_activate(admin_client, questions):
    url = reverse("admin:cards_question_changelist")
    ids = [q.pk for q in questions[:3]]
    admin_client.post(url, {"action": "deactivate", "_selected_action": ids})
    assert Question.objects.filter(is_active=False).count() == 3
    admin_client.post(url, {"action": "activate", "_selected_action": ids})
    assert Question.objects.filter(is_active=False).count() == 0


def test_deleting_a_question_with_history_is_refused(admin_client, db):
    schedule = make_schedule(user=make_user())
    url = reverse("admin:cards_question_delete", args=[schedule.question_id])
    r = admin_client.post(url, {"post": "yes"})
    assert r.status_code == 200
    assert "Cannot delete question" in r.text
    assert Question.objects.filter(pk=schedule.question_id).exists()


def test_schedules_are_read_only_for_staff(admin_client, db):
    schedule = make_schedule(user=make_user())
    r = admin_client.get(reverse("admin:cards_reviewschedule_changelist"))
    assert r.status_code == 200 and schedule.user.username in r.text
    r = admin_client.post(
        reverse("admin:cards_reviewschedule_change", args=[schedule.pk]),
        {"due_on": "2030-01-01"},
    )
    assert r.status_code == 403
    assert ReviewSchedule.objects.get(pk=schedule.pk).due_on == schedule.due_on


@pytest.mark.parametrize(
    "url",
    ["admin:cards_question_changelist", "admin:cards_question_add"],
)
def test_learners_are_refused(client, user, url):
    client.force_login(user)
    r = client.get(reverse(url))
    assert r.status_code == 302 and "/admin/login/" in r.url


def test_learner_cannot_run_bulk_actions(client, user, questions):
    client.force_login(user)
    client.post(
        reverse("admin:cards_question_changelist"),
        {"action": "deactivate", "_selected_action": [q.pk for q in questions]},
    )
    assert not Question.objects.filter(is_active=False).exists()

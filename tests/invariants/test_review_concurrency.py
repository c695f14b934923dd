"""Two requests grading the same card at the same moment: exactly one counts."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cards.models import ReviewLog, ReviewSchedule
from tests.clock import frozen_moment
from tests.factories import make_question, make_schedule, make_user

ROUNDS = 15

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs two real connections with row locks: the SQLite test "
        "database is in memory with a shared cache, where a second connection "
        "fails at once with 'table is locked' instead of waiting",
    ),
]


def _race(clients: list[Client], url: str, data: dict) -> list[int]:
    """POST `data` to `url` from every client at once; return the statuses."""
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def grade(client: Client) -> None:
        try:
            barrier.wait(timeout=10)
            response = client.post(url, data, headers={"HX-Request": "true"})
            statuses.append(response.status_code)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=grade, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return sorted(statuses)


def _clients(user, n: int = 2) -> list[Client]:
    clients = [Client() for _ in range(n)]
    for client in clients:
        client.force_login(user)
    return clients


def test_a_due_card_graded_twice_at_once_is_reviewed_once():
    user = make_user()
    clients = _clients(user)
    today = user.profile.study_day(frozen_moment())
    for _ in range(ROUNDS):
        schedule = make_schedule(user=user, due_on=today - timedelta(days=1))
        url = reverse("cards:grade", args=[schedule.question_id])
        statuses = _race(clients, url, {"grade": "4", "version": schedule.version})
        assert statuses == [200, 409]
        schedule.refresh_from_db()
        assert schedule.version == 3  # advanced exactly once from 2
        assert ReviewLog.objects.filter(schedule=schedule).count() == 1


def test_a_new_card_graded_twice_at_once_is_started_once():
    user = make_user()
    clients = _clients(user)
    for _ in range(ROUNDS):
        question = make_question()
        url = reverse("cards:grade", args=[question.pk])
        statuses = _race(clients, url, {"grade": "5", "version": "0"})
        assert statuses == [200, 409]
        assert ReviewSchedule.objects.get(user=user, question=question).version == 1
        assert ReviewLog.objects.filter(question=question).count() == 1

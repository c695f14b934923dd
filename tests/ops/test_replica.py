"""The read-replica router: the progress page reads from the replica when one
is configured; the review flow and every write stay on the primary.

The test run's "replica" alias is the test database itself (a Django test
mirror), a second connection whose queries are captured apart from the
primary's, so where each query went is visible.
"""

from contextlib import ExitStack

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cards.models import LearnerProfile
from cards.ops import replica
from tests.factories import make_log, make_schedule

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def with_replica(settings):
    settings.DATABASE_READ_REPLICA = "replica"


class Queries:
    def __init__(self):
        self._stack = ExitStack()

    def __enter__(self):
        self.primary = self._stack.enter_context(
            CaptureQueriesContext(connections["default"])
        )
        self.replica = self._stack.enter_context(
            CaptureQueriesContext(connections["replica"])
        )
        return self

    def __exit__(self, *exc):
        self._stack.close()

    @staticmethod
    def touching(captured, table: str) -> list[str]:
        return [q["sql"] for q in captured.captured_queries if table in q["sql"]]


@pytest.fixture
def learner(logged_in_client, user, clock):
    schedule = make_schedule(user=user)
    today = clock.now.date()
    make_log(schedule=schedule, reviewed_at=clock.now, study_day=today)
    return logged_in_client


def test_the_progress_page_reads_its_history_from_the_replica(learner, with_replica):
    with Queries() as q:
        response = learner.get(reverse("cards:progress"))
    assert response.status_code == 200
    assert q.touching(q.replica, "cards_reviewlog")  # the aggregates
    assert not q.touching(q.primary, "cards_reviewlog")
    # The session and the user are looked up by middleware, on the primary.
    assert q.touching(q.primary, "django_session")
    assert not q.touching(q.replica, "django_session")


def test_the_review_flow_never_reads_from_the_replica(learner, with_replica, user):
    schedule = user.schedules.get()
    with Queries() as q:
        assert learner.get(reverse("cards:review")).status_code == 200
        assert learner.get(reverse("home")).status_code == 200
        graded = learner.post(
            reverse("cards:grade", args=[schedule.question_id]),
            {"grade": 4, "version": schedule.version},
        )
    assert graded.status_code == 302
    assert q.replica.captured_queries == []
    assert q.touching(q.primary, "cards_reviewschedule")


def test_without_a_replica_everything_reads_from_the_primary(learner, settings):
    settings.DATABASE_READ_REPLICA = ""
    with Queries() as q:
        assert learner.get(reverse("cards:progress")).status_code == 200
    assert q.replica.captured_queries == []
    assert q.touching(q.primary, "cards_reviewlog")


def test_writes_go_to_the_primary_even_for_rows_read_from_the_replica(
    user, with_replica
):
    LearnerProfile.objects.get_or_create(user=user)
    with Queries() as q, replica.reads_from_replica():
        profile = LearnerProfile.objects.get(user=user)
        assert profile._state.db == "replica"
        profile.new_cards_per_day = 7
        profile.save()
    assert q.touching(q.replica, "SELECT")
    assert q.touching(q.primary, "UPDATE")
    assert not q.touching(q.replica, "UPDATE")
    assert LearnerProfile.objects.get(user=user).new_cards_per_day == 7

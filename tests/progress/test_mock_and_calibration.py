"""The progress page's mock scores and confidence calibration (issue 18)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cards.mock import services
from cards.models import Level, Question, ReviewLog
from cards.progress import queries
from tests.factories import make_log, make_question, make_schedule, make_user

URL = reverse("cards:progress")
MAX_QUERIES = 15


def rated_history(user, clock, *, certain_good=18, certain_bad=2, unsure=25):
    """Rated answers written by hand: Certain on Basic, Unsure on Advanced."""
    today = user.profile.study_day(clock.now)
    logs = []
    spec = [(3, Level.BASIC, 4)] * certain_good + [(3, Level.BASIC, 1)] * certain_bad
    spec += [(1, Level.ADVANCED, 4 if i % 5 else 1) for i in range(unsure)]
    for confidence, level, grade in spec:
        schedule = make_schedule(user=user, question=make_question(level=level))
        log = make_log(
            schedule=schedule,
            grade=grade,
            reviewed_at=clock.now,
            study_day=today,
            from_version=1,
            save=False,
        )
        log.confidence = confidence
        logs.append(log)
    ReviewLog.objects.bulk_create(logs)


def test_calibration_counts_group_by_confidence_and_level(db, clock):
    user = make_user()
    rated_history(user, clock)
    rows = sorted(queries.calibration_counts(user))
    assert rows == [(1, "Advanced", 25, 20), (3, "Basic", 20, 18)]


def test_progress_shows_the_calibration_with_counts_and_a_sentence(client, db, clock):
    user = make_user(rate_confidence=True)
    rated_history(user, clock)
    client.force_login(user)
    text = client.get(URL).text
    assert "Confidence calibration" in text
    assert (
        "When you feel certain you are right 90% of the time; when unsure, 80%" in text
    )
    assert "trust yourself more on Advanced questions" in text
    assert "90% right (20 answers)" in text
    assert "not enough answers yet (0 answers)" in text  # Fairly sure


def test_progress_invites_to_turn_the_setting_on(client, db):
    user = make_user()
    client.force_login(user)
    assert "Rate my confidence before the answer" in client.get(URL).text


def test_progress_shows_the_mock_score_over_time(client, questions, clock):
    user = make_user()
    Question.objects.exclude(pk=questions[0].pk).update(is_active=False)
    for _ in range(2):
        mock = services.start_mock(user=user, now=clock.now, count=1, seed=1)
        item = services.current(mock)
        services.hand_in(mock=mock, answer_id=item.pk, text="", now=clock.now)
        clock.shift(days=1)
    client.force_login(user)
    text = client.get(URL).text
    assert "Mock interview score over time" in text
    assert "2 finished mock interviews; the latest scored 0%" in text
    assert text.count('class="mock-dot"') == 2


@pytest.mark.parametrize("mocks", [0, 30])
def test_query_count_stays_bounded_with_mocks_and_ratings(
    client, questions, clock, mocks
):
    user = make_user()
    rated_history(user, clock, unsure=40)
    for _ in range(mocks):
        mock = services.start_mock(user=user, now=clock.now, count=2, seed=1)
        for item in list(mock.answers.all()):
            services.hand_in(mock=mock, answer_id=item.pk, text="", now=clock.now)
        clock.shift(minutes=5)
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    print(f"\nprogress page queries with {mocks} mocks: {len(ctx.captured_queries)}")
    assert len(ctx.captured_queries) <= MAX_QUERIES

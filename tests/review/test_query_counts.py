"""Grading a card and rendering the next one costs a fixed number of queries."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cards.learner import scheduler_switch
from cards.models import LearnerProfile, Question, ReviewLog, ReviewSchedule
from cards.review import services
from tests.clock import frozen_moment
from tests.factories import (
    insert_rows,
    make_log,
    make_question,
    make_schedule,
    make_user,
    sm2_fields,
)

MAX_QUERIES = 10
HTMX = {"HX-Request": "true"}


def _crowd(*, questions: int, learners: int, logs_per_learner: int) -> None:
    """Many questions, many learners, each with schedules and a long history."""
    rng = random.Random(7)
    Question.objects.bulk_create(
        Question(
            key=f"bulk-{n}", prompt=f"Bulk question {n}?", answer="A.", level=1 + n % 3
        )
        for n in range(questions)
    )
    bank = list(Question.objects.values_list("pk", flat=True))
    now = frozen_moment()
    today = LearnerProfile().study_day(now)
    for n in range(learners):
        learner = make_user(username=f"crowd{n}")
        schedules = ReviewSchedule.objects.bulk_create(
            ReviewSchedule(
                user=learner,
                question_id=pk,
                due_on=today + timedelta(days=rng.randint(-30, 30)),
                version=logs_per_learner,
                **sm2_fields(3, rng.randint(1, 60)),
            )
            for pk in rng.sample(bank, len(bank) // 2)
        )
        insert_rows(
            [
                make_log(
                    schedule=schedules[i % len(schedules)],
                    grade=rng.randint(0, 5),
                    reviewed_at=now - timedelta(days=i % 90),
                    study_day=today - timedelta(days=i % 90),
                    from_version=i // len(schedules),
                    before=(2, 6, "2.50"),
                    after=(3, 15, "2.50"),
                    due_after=today,
                    save=False,
                )
                for i in range(logs_per_learner)
            ]
        )


def _grade_costs(client, user) -> dict[str, int]:
    """Queries of one htmx grade per path: new card, review, re-drill, finish, 409."""
    today = user.profile.study_day(frozen_moment())
    new = make_question(level=1, position=0, prompt="A brand new card?")
    due = make_schedule(user=user, due_on=today - timedelta(days=3))
    redrill = make_schedule(user=user, due_on=today + timedelta(days=1))
    redrill.redrill_on = today
    redrill.save()
    if user.profile.scheduler == "fsrs":  # issue 19: the same paths on FSRS states
        scheduler_switch.convert_schedules(
            user=user, to="fsrs", today=today, retention=0.9
        )
        for schedule in (due, redrill):
            schedule.refresh_from_db()
    costs = {}
    # Warm-up: SQLite checks once per connection that it supports JSON.
    assert client.get(reverse("cards:review")).status_code == 200

    def post(name, question, grade, version):
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                reverse("cards:grade", args=[question.pk]),
                {"grade": grade, "version": version, "shown_at": "1"},
                headers=HTMX,
            )
        assert response.status_code in (200, 409), response.text
        costs[name] = len(ctx.captured_queries)
        return response

    post("new card", new, 4, 0)
    post("review", due.question, 5, due.version)
    post("stale grade (409)", due.question, 5, due.version)
    post("re-drill", redrill.question, 4, redrill.version)
    # Nothing else is left for `user`: the last grade renders the finish screen.
    last = make_schedule(user=user, due_on=today)
    ReviewSchedule.objects.filter(user=user).exclude(pk=last.pk).update(
        due_on=today + timedelta(days=5), redrill_on=None
    )
    profile = LearnerProfile.objects.get(user=user)
    profile.new_cards_per_day = 0
    profile.save()  # through the ORM, so the cached signed-in user is dropped
    user.refresh_from_db()
    finished = post("last card (finish screen)", last.question, 5, last.version)
    assert "All done for today" in finished.text
    return costs


def test_grade_and_next_card_cost_a_fixed_number_of_queries(client, db):
    small_user = make_user(username="small")
    client.force_login(small_user)
    small = _grade_costs(client, small_user)

    _crowd(questions=400, learners=25, logs_per_learner=600)
    big_user = make_user(username="big")
    for i in range(300):
        log_question = Question.objects.order_by("pk")[i]
        services.record_review(
            user=big_user,
            question=log_question,
            grade=5,
            version=0,
            now=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=i),
        )
    client.force_login(big_user)
    big = _grade_costs(client, big_user)

    print("\nqueries per htmx grade (incl. session, user, profile):")
    for name, count in big.items():
        print(f"  {name:28} {count}")
    assert ReviewLog.objects.count() > 15_000
    assert big == small, "the query count must not depend on the data size"
    assert max(big.values()) <= MAX_QUERIES


def test_fsrs_mode_costs_the_same_queries_as_sm2(client, db):
    sm2_user = make_user(username="sm2-queries")
    client.force_login(sm2_user)
    sm2 = _grade_costs(client, sm2_user)
    fsrs_user = make_user(username="fsrs-queries", scheduler="fsrs")
    client.force_login(fsrs_user)
    fsrs = _grade_costs(client, fsrs_user)
    # The new card, the review and the re-drill were FSRS (the last card is SM-2).
    assert ReviewSchedule.objects.filter(user=fsrs_user, scheduler="fsrs").count() == 3
    assert fsrs == sm2


@pytest.mark.parametrize("url", ["cards:review", "home"])
def test_pages_cost_a_fixed_number_of_queries(
    client, db, url, django_assert_max_num_queries
):
    user = make_user()
    for _ in range(20):
        make_schedule(user=user, due_on=date(2026, 1, 1))
        make_question()
    client.force_login(user)
    # Session, user, profile and the one-statement queue snapshot.
    with django_assert_max_num_queries(4):
        assert client.get(reverse(url)).status_code == 200

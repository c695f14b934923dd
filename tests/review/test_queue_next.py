"""The queue after a grade from carried counts equals the full snapshot."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import caches
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cards.models import LearnerProfile, profile_for
from cards.review import queue, queue_next, services
from cards.review.views import planned_snapshot
from tests.factories import make_question, make_schedule, make_user

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)  # study day 2026-01-05 in UTC
TODAY = date(2026, 1, 5)

decks = st.lists(
    st.tuples(
        st.booleans(),  # started
        st.integers(-5, 3),  # due, days from today
        st.sampled_from([None, 0, -1]),  # re-drill day, days from today
        st.sampled_from([1, 2]),  # level
    ),
    min_size=1,
    max_size=8,
)
steps = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 25)),  # grade, minutes after
    min_size=1,
    max_size=10,
)


def _grade(user, card, grade, now):
    return services.record_review(
        user=user, question=card.question_id, grade=grade, version=card.version, now=now
    )


def _set_limits(user, new_per_day, reviews_per_day):
    LearnerProfile.objects.filter(user=user).update(
        new_cards_per_day=new_per_day, reviews_per_day=reviews_per_day
    )
    user.refresh_from_db()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    deck=decks,
    script=steps,
    limits=st.tuples(st.integers(0, 4), st.integers(0, 6)),
    levels=st.sampled_from([(), (1,), (1, 2)]),
)
@pytest.mark.django_db
def test_carried_counts_and_next_card_equal_the_full_snapshot(
    clock, user, deck, script, limits, levels
):
    with transaction.atomic():
        _set_limits(user, *limits)
        for started, due, redrill, level in deck:
            question = make_question(level=level)
            if started:
                make_schedule(
                    user=user,
                    question=question,
                    due_on=TODAY + timedelta(days=due),
                    redrill_on=None if redrill is None else TODAY,
                )
        now, profile = NOW, profile_for(user)
        shown = planned_snapshot(user=user, profile=profile, now=now, levels=levels)
        carried = 0
        for grade, minutes in script:
            if shown.card is None:
                break
            log = _grade(user, shown.card, grade, now)
            after = queue_next.after_grade(
                user=user, profile=profile, now=now, levels=levels, log=log
            )
            full = queue.snapshot(user=user, profile=profile, now=now, levels=levels)
            if after is None:
                # Only when the card that set the next due date moved later.
                assert log.due_before is not None and log.due_before > TODAY
                shown = full
            else:
                carried += 1
                assert after == full
                assert after.card == full.card
                shown = after
            queue_next.remember(user.pk, shown)
            now += timedelta(minutes=minutes)
        event(f"counts carried over {min(carried, 3)}+ times")
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_grade_of_the_shown_card_carries_the_counts_over(clock):
    learner = make_user()
    for _ in range(3):
        make_schedule(user=learner, due_on=TODAY - timedelta(days=1))
    profile = profile_for(learner)
    shown = planned_snapshot(user=learner, profile=profile, now=NOW)
    log = _grade(learner, shown.card, 4, NOW)
    after = queue_next.after_grade(
        user=learner, profile=profile, now=NOW, levels=(), log=log
    )
    assert after is not None and after.due == 2 and after.reviews_done == 1
    assert after == queue.snapshot(user=learner, profile=profile, now=NOW)


@pytest.mark.django_db
def test_a_suspension_since_the_counts_were_taken_breaks_the_stamp(clock):
    from cards.care.models import Suspension

    learner = make_user()
    due = [make_schedule(user=learner, due_on=TODAY - timedelta(days=1)) for _ in "abc"]
    profile = profile_for(learner)
    shown = planned_snapshot(user=learner, profile=profile, now=NOW)
    other = next(s for s in due if s.question_id != shown.card.question_id)
    Suspension.objects.create(user=learner, question=other.question, created_at=NOW)
    log = _grade(learner, shown.card, 4, NOW)
    assert (
        queue_next.after_grade(
            user=learner, profile=profile, now=NOW, levels=(), log=log
        )
        is None
    )


@pytest.mark.django_db
def test_an_undo_since_the_counts_were_taken_breaks_the_stamp(clock):
    learner = make_user()
    for _ in range(3):
        make_schedule(user=learner, due_on=TODAY - timedelta(days=1))
    profile = profile_for(learner)
    first = queue.snapshot(user=learner, profile=profile, now=NOW)
    taken = _grade(learner, first.card, 4, NOW)
    services.undo_review(user=learner, log_id=taken.pk, now=NOW)
    shown = planned_snapshot(user=learner, profile=profile, now=NOW)
    assert shown.card == first.card
    # Another answer lands between this page's counts and its grade.
    other = make_schedule(user=learner, due_on=TODAY - timedelta(days=1))
    services.record_review(
        user=learner, question=other.question, grade=4, version=other.version, now=NOW
    )
    log = _grade(learner, shown.card, 4, NOW)
    assert (
        queue_next.after_grade(
            user=learner, profile=profile, now=NOW, levels=(), log=log
        )
        is None
    )
    assert caches[queue_next.CACHE].get(queue_next._key(learner.pk, ())) is None


@pytest.mark.parametrize(
    ("new_available", "due", "reviews_done", "reviews_per_day", "skipped"),
    [
        (3, 5, 0, 10, set()),
        (0, 5, 0, 10, {"new_head"}),  # every question started
        (3, 5, 10, 10, {"review_head"}),  # today's review limit reached
        (3, 0, 0, 10, {"review_head"}),  # nothing due
        (0, 0, 0, 10, {"new_head", "review_head"}),
    ],
)
def test_the_grade_reads_no_head_the_queue_would_not_serve(
    new_available, due, reviews_done, reviews_per_day, skipped
):
    profile = LearnerProfile(reviews_per_day=reviews_per_day)
    figures = {"new_available": new_available, "due": due, "reviews_done": reviews_done}
    assert queue_next.unserved_heads(figures, profile) == skipped

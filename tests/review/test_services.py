"""Grading and undo (cards/review/services.py) against the real database."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cards.models import ReviewKind, ReviewLog, ReviewSchedule, profile_for
from cards.review import queue, services
from cards.review.conflicts import Reason
from tests.factories import make_question, make_schedule, make_user

# 12:00 UTC on 5 January 2026: study day 2026-01-05 for a UTC learner.
NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
TODAY = date(2026, 1, 5)


def grade(user, question, g, version, now=NOW):
    return services.record_review(
        user=user, question=question, grade=g, version=version, now=now
    )


def schedule_fields(schedule):
    schedule.refresh_from_db()
    return {
        f.name: getattr(schedule, f.name) for f in ReviewSchedule._meta.concrete_fields
    }


def undo_log_id(user):
    """What the Undo button takes back: the queue's newest answer of today."""
    return queue.snapshot(user=user, profile=profile_for(user), now=NOW).undo_log_id


def test_first_answer_creates_schedule_and_log(user):
    question = make_question()
    log = grade(user, question, 4, version=0)
    schedule = ReviewSchedule.objects.get(user=user, question=question)
    assert (schedule.repetitions, schedule.interval_days, schedule.ease) == (
        1,
        1,
        Decimal("2.5"),
    )
    assert schedule.due_on == date(2026, 1, 6)
    assert schedule.version == 1
    assert schedule.redrill_on is None
    assert log.kind == ReviewKind.NEW
    assert (log.from_version, log.due_before, log.due_after) == (
        0,
        None,
        date(2026, 1, 6),
    )
    assert log.study_day == TODAY


def test_due_review_advances_schedule_and_logs_before_and_after(user):
    schedule = make_schedule(user=user, due_on=TODAY, repetitions=2, interval_days=6)
    log = grade(user, schedule.question, 5, version=schedule.version)
    schedule.refresh_from_db()
    assert (schedule.repetitions, schedule.interval_days, schedule.ease) == (
        3,
        15,
        Decimal("2.6"),
    )
    assert schedule.due_on == date(2026, 1, 20)
    assert log.kind == ReviewKind.REVIEW
    assert log.scheduler == "sm2"
    assert log.state_before == {"ease": "2.50", "interval_days": 6, "repetitions": 2}
    assert log.state_after == {"ease": "2.60", "interval_days": 15, "repetitions": 3}


def test_second_first_answer_to_a_new_card_is_refused(user):
    question = make_question()
    grade(user, question, 4, version=0)
    with pytest.raises(services.ReviewConflict) as refused:
        grade(user, question, 4, version=0)
    assert refused.value.reason == Reason.STALE
    assert ReviewLog.objects.count() == 1


def test_card_not_yet_due_is_refused(user):
    schedule = make_schedule(user=user, due_on=date(2026, 1, 6))
    with pytest.raises(services.ReviewConflict) as refused:
        grade(user, schedule.question, 4, version=schedule.version)
    assert refused.value.reason == Reason.NOT_DUE


def test_inactive_question_cannot_be_started(user):
    question = make_question(is_active=False)
    with pytest.raises(services.ReviewConflict) as refused:
        grade(user, question, 4, version=0)
    assert refused.value.reason == Reason.RETIRED


@pytest.mark.parametrize("bad", [-1, 6, "4", 4.0, None])
def test_invalid_grade_writes_nothing(user, bad):
    schedule = make_schedule(user=user, due_on=TODAY)
    before = schedule_fields(schedule)
    with pytest.raises(ValueError, match="grade"):
        grade(user, schedule.question, bad, version=schedule.version)
    assert schedule_fields(schedule) == before
    assert ReviewLog.objects.count() == 0


def test_lapse_is_counted_only_for_a_learned_card(user):
    new_question = make_question()
    grade(user, new_question, 1, version=0)
    assert ReviewSchedule.objects.get(question=new_question).lapses == 0
    schedule = make_schedule(user=user, due_on=TODAY, repetitions=3, interval_days=15)
    grade(user, schedule.question, 2, version=schedule.version)
    schedule.refresh_from_db()
    assert (schedule.lapses, schedule.repetitions, schedule.interval_days) == (1, 0, 1)


def test_answer_below_four_is_redrilled_without_changing_the_schedule(user):
    schedule = make_schedule(user=user, due_on=TODAY, repetitions=2, interval_days=6)
    grade(user, schedule.question, 3, version=schedule.version)
    schedule.refresh_from_db()
    state_after_review = (
        schedule.repetitions,
        schedule.interval_days,
        schedule.ease,
        schedule.due_on,
    )
    assert schedule.redrill_on == TODAY

    # Still below 4: logged, comes back again, state unchanged.
    log = grade(user, schedule.question, 2, version=schedule.version)
    schedule.refresh_from_db()
    assert log.kind == ReviewKind.REDRILL
    assert schedule.redrill_on == TODAY
    assert (
        schedule.repetitions,
        schedule.interval_days,
        schedule.ease,
        schedule.due_on,
    ) == state_after_review

    # Known now: leaves the re-drill queue, state still unchanged.
    grade(user, schedule.question, 4, version=schedule.version)
    schedule.refresh_from_db()
    assert schedule.redrill_on is None
    assert (
        schedule.repetitions,
        schedule.interval_days,
        schedule.ease,
        schedule.due_on,
    ) == state_after_review
    assert ReviewLog.objects.filter(kind=ReviewKind.REDRILL).count() == 2


def test_yesterdays_redrill_does_not_linger(user):
    schedule = make_schedule(user=user, due_on=TODAY, redrill_on=date(2026, 1, 4))
    log = grade(user, schedule.question, 4, version=schedule.version)
    assert log.kind == ReviewKind.REVIEW


def test_study_day_follows_time_zone_and_rollover(db):
    user = make_user(time_zone="Pacific/Kiritimati", rollover_hour=4)
    question = make_question()
    # 12:00 UTC is 02:00 on 6 January in Kiritimati: before 4:00, still the 5th.
    log = grade(user, question, 4, version=0)
    assert log.study_day == date(2026, 1, 5)
    assert log.due_after == date(2026, 1, 6)


def test_duration_is_clamped(user):
    question = make_question()
    log = services.record_review(
        user=user, question=question, grade=4, version=0, now=NOW, duration_ms=10**9
    )
    assert log.duration_ms == services.MAX_DURATION_MS


def test_undo_restores_the_schedule_exactly(user):
    schedule = make_schedule(user=user, due_on=TODAY, redrill_on=None, lapses=2)
    before = schedule_fields(schedule)
    log = grade(user, schedule.question, 1, version=schedule.version)
    question = services.undo_review(user=user, log_id=log.pk, now=NOW)
    assert question == schedule.question
    assert schedule_fields(schedule) == before
    assert ReviewLog.objects.count() == 0


def test_undo_of_a_new_card_makes_it_new_again(user):
    question = make_question()
    log = grade(user, question, 5, version=0)
    services.undo_review(user=user, log_id=log.pk, now=NOW)
    assert not ReviewSchedule.objects.exists()
    assert grade(user, question, 5, version=0).kind == ReviewKind.NEW


def test_undo_walks_back_todays_answers_in_reverse_order(user):
    schedule = make_schedule(user=user, due_on=TODAY)
    original = schedule_fields(schedule)
    grade(user, schedule.question, 2, version=schedule.version)
    grade(user, schedule.question, 3, version=schedule.version + 1)
    grade(user, schedule.question, 5, version=schedule.version + 2)
    while (log_id := undo_log_id(user)) is not None:
        services.undo_review(user=user, log_id=log_id, now=NOW)
    assert schedule_fields(schedule) == original


def test_undo_twice_of_the_same_answer_is_refused(user):
    question = make_question()
    log = grade(user, question, 4, version=0)
    services.undo_review(user=user, log_id=log.pk, now=NOW)
    with pytest.raises(services.ReviewConflict) as refused:
        services.undo_review(user=user, log_id=log.pk, now=NOW)
    assert refused.value.reason == Reason.ALREADY_UNDONE


def test_undo_of_an_older_answer_to_the_same_card_is_refused(user):
    schedule = make_schedule(user=user, due_on=TODAY)
    first = grade(user, schedule.question, 1, version=schedule.version)
    grade(user, schedule.question, 1, version=schedule.version + 1)
    with pytest.raises(services.ReviewConflict) as refused:
        services.undo_review(user=user, log_id=first.pk, now=NOW)
    assert refused.value.reason == Reason.LATER_ANSWERS


def test_undo_of_yesterdays_answer_is_refused(user):
    question = make_question()
    log = grade(user, question, 4, version=0, now=datetime(2026, 1, 4, 12, tzinfo=UTC))
    with pytest.raises(services.ReviewConflict) as refused:
        services.undo_review(user=user, log_id=log.pk, now=NOW)
    assert refused.value.reason == Reason.NOT_TODAY


def test_undo_of_another_users_answer_is_refused(user, other_user):
    log = grade(other_user, make_question(), 4, version=0)
    with pytest.raises(services.ReviewConflict) as refused:
        services.undo_review(user=user, log_id=log.pk, now=NOW)
    assert refused.value.reason == Reason.ALREADY_UNDONE
    assert ReviewLog.objects.filter(pk=log.pk).exists()


# Answers off the schedule (drills, mock interviews) ---------------------------


def drill(user, question, g, version, flow="drill"):
    return services.record_review(
        user=user, question=question, grade=g, version=version, now=NOW, flow=flow
    )


@pytest.mark.parametrize("flow", ["drill", "mock"])
def test_success_before_the_due_date_is_logged_and_changes_no_schedule(user, flow):
    schedule = make_schedule(
        user=user, due_on=date(2026, 1, 20), repetitions=3, interval_days=15
    )
    before = schedule_fields(schedule)
    log = drill(user, schedule.question, 5, schedule.version, flow)
    after = schedule_fields(schedule)
    assert log.kind == flow
    assert after["version"] == before["version"] + 1
    assert after["last_reviewed_at"] == NOW
    unchanged = {
        k: v for k, v in after.items() if k not in {"version", "last_reviewed_at"}
    }
    assert unchanged == {k: before[k] for k in unchanged}
    assert (log.due_before, log.due_after) == (date(2026, 1, 20), date(2026, 1, 20))


def test_failure_before_the_due_date_is_a_lapse_and_resets_without_a_redrill(user):
    schedule = make_schedule(
        user=user, due_on=date(2026, 1, 20), repetitions=3, interval_days=15, lapses=1
    )
    log = drill(user, schedule.question, 1, schedule.version, "mock")
    schedule.refresh_from_db()
    assert log.kind == ReviewKind.MOCK
    assert (schedule.repetitions, schedule.interval_days, schedule.lapses) == (0, 1, 2)
    assert (schedule.due_on, schedule.redrill_on) == (date(2026, 1, 6), None)


def test_a_drill_of_a_due_card_is_an_ordinary_review(user):
    schedule = make_schedule(user=user, due_on=TODAY, repetitions=2, interval_days=6)
    log = drill(user, schedule.question, 5, schedule.version)
    schedule.refresh_from_db()
    assert log.kind == ReviewKind.REVIEW and schedule.interval_days == 15


def test_a_drilled_new_card_starts_its_schedule_and_undo_removes_it(user):
    question = make_question()
    log = drill(user, question, 2, 0)
    schedule = ReviewSchedule.objects.get(user=user, question=question)
    assert log.kind == ReviewKind.DRILL and log.started_schedule
    assert (schedule.due_on, schedule.redrill_on, schedule.lapses) == (
        date(2026, 1, 6),
        None,
        0,
    )
    services.undo_review(user=user, log_id=log.pk, now=NOW)
    assert not ReviewSchedule.objects.filter(question=question).exists()


@pytest.mark.parametrize("g", [1, 4])
def test_undo_of_an_off_schedule_answer_restores_the_schedule_exactly(user, g):
    schedule = make_schedule(user=user, due_on=date(2026, 2, 1), lapses=3)
    before = schedule_fields(schedule)
    log = drill(user, schedule.question, g, schedule.version)
    services.undo_review(user=user, log_id=log.pk, now=NOW)
    assert schedule_fields(schedule) == before


def test_an_unknown_flow_is_refused_before_anything_is_read(user):
    with pytest.raises(ValueError, match="Flow"):
        drill(user, make_question(), 4, 0, flow="cram")
    assert not ReviewLog.objects.exists()

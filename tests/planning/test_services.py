"""The plan's writes and what the queue and grading make of them (real database)."""

import math
from datetime import timedelta

import pytest

from cards import scheduling
from cards.models import InterviewPlan, ReviewKind, ReviewSchedule, StudyBreak
from cards.planning import reads, services
from cards.review import queue
from cards.review import services as review
from cards.scheduling import plan
from cards.scheduling.plan import PlanError
from tests.factories import make_log, make_question, make_schedule, make_user


def today_of(user, clock):
    return user.profile.study_day(clock.now)


def test_a_date_in_the_past_is_refused_and_nothing_is_written(user, clock):
    today = today_of(user, clock)
    with pytest.raises(PlanError, match="is in the past"):
        services.set_interview(
            user=user,
            on=today - timedelta(days=1),
            levels=[],
            minutes_per_day=None,
            now=clock.now,
        )
    assert not InterviewPlan.objects.exists()


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Los_Angeles", "UTC"])
def test_today_is_the_learners_own_study_day(db, clock, zone):
    learner = make_user(time_zone=zone, rollover_hour=4)
    today = today_of(learner, clock)
    services.set_interview(
        user=learner, on=today, levels=[], minutes_per_day=None, now=clock.now
    )
    with pytest.raises(PlanError):
        services.set_interview(
            user=learner,
            on=today - timedelta(days=1),
            levels=[],
            minutes_per_day=None,
            now=clock.now,
        )
    assert InterviewPlan.objects.get(user=learner).interview_on == today


def _plan(user, clock, days, **kw):
    return services.set_interview(
        user=user,
        on=today_of(user, clock) + timedelta(days=days),
        levels=kw.get("levels", []),
        minutes_per_day=kw.get("minutes"),
        now=clock.now,
    )


def test_grading_caps_the_interval_before_the_day_and_the_state_stays_sm2s(user, clock):
    today = today_of(user, clock)
    schedule = make_schedule(user=user, due_on=today, repetitions=3, interval_days=20)
    row = _plan(user, clock, 10)
    review.record_review(
        user=user, question=schedule.question, grade=5, version=2, now=clock.now
    )
    schedule.refresh_from_db()
    assert today < schedule.due_on <= row.interview_on - timedelta(days=1)
    assert schedule.interval_days == 50  # SM-2's own interval, kept whole


def test_clearing_the_date_loses_nothing_and_normal_scheduling_resumes(user, clock):
    today = today_of(user, clock)
    schedule = make_schedule(user=user, due_on=today, repetitions=3, interval_days=20)
    _plan(user, clock, 10, levels=[1], minutes=30)
    before = list(ReviewSchedule.objects.values())
    services.clear_interview(user=user)
    assert list(ReviewSchedule.objects.values()) == before
    row = InterviewPlan.objects.get(user=user)
    assert row.interview_on is None and row.levels == [1] and row.minutes_per_day == 30
    review.record_review(
        user=user, question=schedule.question, grade=5, version=2, now=clock.now
    )
    schedule.refresh_from_db()
    assert schedule.due_on == today + timedelta(days=50)


def test_after_the_day_answers_are_scheduled_as_sm2_would(user, clock):
    today = today_of(user, clock)
    schedule = make_schedule(user=user, due_on=today, repetitions=3, interval_days=20)
    row = _plan(user, clock, 0)
    InterviewPlan.objects.filter(pk=row.pk).update(
        interview_on=today - timedelta(days=1)
    )
    review.record_review(
        user=user, question=schedule.question, grade=5, version=2, now=clock.now
    )
    schedule.refresh_from_db()
    assert schedule.due_on == today + timedelta(days=50)


def test_another_level_is_not_capped(user, clock):
    today = today_of(user, clock)
    schedule = make_schedule(
        user=user,
        question=make_question(level=3),
        due_on=today,
        repetitions=3,
        interval_days=20,
    )
    _plan(user, clock, 10, levels=[1])
    assert reads.capper_for(user, today=today, level=3) is None
    review.record_review(
        user=user, question=schedule.question, grade=5, version=2, now=clock.now
    )
    schedule.refresh_from_db()
    assert schedule.due_on == today + timedelta(days=50)


def test_the_pace_overrides_the_daily_new_limit_and_says_so(user, clock):
    for _ in range(60):
        make_question()
    user.profile.new_cards_per_day = 2
    user.profile.save()
    _plan(user, clock, 14)
    day = services.prepare_day(user=user, now=clock.now)
    assert day is not None and day.new > 2
    assert services.prepare_day(user=user, now=clock.now) is None  # once a day
    snapshot = queue.snapshot(user=user, profile=user.profile, now=clock.now)
    assert snapshot.new_left == day.new
    assert snapshot.pace_note == (
        f"Your interview plan sets today's new questions to {day.new} "
        "instead of your daily limit of 2."
    )


def test_a_date_tomorrow_brings_every_card_once(user, clock):
    today = today_of(user, clock)
    later = [
        make_schedule(user=user, due_on=today + timedelta(days=d), interval_days=d)
        for d in (3, 9, 30)
    ]
    _plan(user, clock, 1)
    snapshot = queue.snapshot(user=user, profile=user.profile, now=clock.now)
    assert snapshot.needs_plan and snapshot.due == 0
    services.prepare_day(user=user, now=clock.now)
    snapshot = queue.snapshot(user=user, profile=user.profile, now=clock.now)
    assert snapshot.due == 3
    # The most at risk first: the shortest interval, seen longest ago.
    assert snapshot.card.question_id in {s.question_id for s in later}


def test_a_planned_break_leaves_the_days_away_empty(user, clock):
    today = today_of(user, clock)
    for d in range(2, 12):
        for _ in range(3):
            make_schedule(user=user, due_on=today + timedelta(days=d))
    start, end = today + timedelta(days=4), today + timedelta(days=8)
    away, moved = services.plan_break(
        user=user, starts_on=start, ends_on=end, now=clock.now
    )
    assert moved == 15
    assert not ReviewSchedule.objects.filter(due_on__range=(start, end)).exists()
    assert ReviewSchedule.objects.count() == 30
    assert StudyBreak.objects.get(user=user) == away


def test_a_planned_break_spreads_a_heavy_day_it_is_entered_on(user, clock):
    today = today_of(user, clock)
    due = [make_schedule(user=user, due_on=today, interval_days=12) for _ in range(10)]
    for back in range(1, 8):  # a usual day of 2 cards over the last week
        for schedule in due[:2]:
            make_log(
                schedule=schedule,
                reviewed_at=clock.now - timedelta(days=back),
                study_day=today - timedelta(days=back),
                from_version=back,
            )
    start, end = today + timedelta(days=4), today + timedelta(days=8)
    _, moved = services.plan_break(
        user=user, starts_on=start, ends_on=end, now=clock.now
    )
    limit = math.ceil(plan.breaks.ENTRY_LIMIT * 2)
    assert moved == 10 - limit
    snapshot = queue.snapshot(user=user, profile=user.profile, now=clock.now)
    assert snapshot.due == limit
    waiting = ReviewSchedule.objects.filter(due_on__gt=today)
    assert all(today < s.due_on < start for s in waiting)
    assert {s.interval_days for s in waiting} == {12}  # only the due day moved


def test_a_bad_break_writes_nothing(user, clock):
    today = today_of(user, clock)
    make_schedule(user=user, due_on=today + timedelta(days=3))
    with pytest.raises(PlanError):
        services.plan_break(
            user=user,
            starts_on=today + timedelta(days=5),
            ends_on=today + timedelta(days=2),
            now=clock.now,
        )
    assert not StudyBreak.objects.exists()


def test_spreading_a_backlog_keeps_every_card_and_today_within_the_share(user, clock):
    today = today_of(user, clock)
    for d in range(60):
        make_schedule(
            user=user, due_on=today - timedelta(days=d % 10), interval_days=1 + d
        )
    moved = services.spread_backlog(user=user, days=3, now=clock.now)
    assert moved == 40
    assert ReviewSchedule.objects.filter(due_on__lte=today).count() == 20
    assert ReviewSchedule.objects.count() == 60


def test_one_learner_never_moves_anothers_cards(user, other_user, clock):
    today = today_of(user, clock)
    theirs = make_schedule(user=other_user, due_on=today + timedelta(days=5))
    services.plan_break(
        user=user,
        starts_on=today + timedelta(days=4),
        ends_on=today + timedelta(days=6),
        now=clock.now,
    )
    theirs.refresh_from_db()
    assert theirs.due_on == today + timedelta(days=5)


def test_deleting_the_account_removes_the_plan_and_breaks(user, clock):
    _plan(user, clock, 10)
    today = today_of(user, clock)
    services.plan_break(
        user=user, starts_on=today, ends_on=today + timedelta(days=2), now=clock.now
    )
    user.delete()
    assert not InterviewPlan.objects.exists() and not StudyBreak.objects.exists()


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "Europe/London"])
def test_the_days_plan_is_made_once_per_study_day_at_the_rollover(db, clock, zone):
    learner = make_user(time_zone=zone, rollover_hour=4)
    for _ in range(30):
        make_question()
    services.set_interview(
        user=learner,
        on=learner.profile.study_day(clock.now) + timedelta(days=20),
        levels=[],
        minutes_per_day=None,
        now=clock.now,
    )
    start = clock.now
    assert services.prepare_day(user=learner, now=start) is not None
    # Local midnight is not a new study day; the rollover hour is.
    moment = start
    while learner.profile.study_day(moment) == learner.profile.study_day(start):
        assert services.prepare_day(user=learner, now=moment) is None
        moment += timedelta(minutes=30)
    local = moment.astimezone(learner.profile.tzinfo)
    # The first half-hour step at or after 04:00 (the walk starts at any minute).
    assert local.hour == 4 and local.minute < 30, local
    made = services.prepare_day(user=learner, now=moment)
    assert made is not None and made.today == learner.profile.study_day(moment)


def test_an_answer_before_a_planned_break_is_not_due_while_away(user, clock):
    today = today_of(user, clock)
    schedule = make_schedule(user=user, due_on=today, repetitions=1, interval_days=1)
    start, end = today + timedelta(days=3), today + timedelta(days=12)
    services.plan_break(user=user, starts_on=start, ends_on=end, now=clock.now)
    review.record_review(
        user=user, question=schedule.question, grade=4, version=2, now=clock.now
    )
    schedule.refresh_from_db()
    assert schedule.interval_days == 6  # SM-2's own, whole
    assert today < schedule.due_on < start


def test_the_plan_knows_the_learners_own_share_of_reviews_failed(
    user, other_user, clock
):
    today = today_of(user, clock)
    schedule = make_schedule(user=user)
    assert reads.effort_for(user).fail_share is None  # none yet: the default
    for i in range(20):
        make_log(
            schedule=schedule,
            grade=1 if i < 5 else 4,
            reviewed_at=clock.now - timedelta(minutes=i),
            study_day=today,
            duration_ms=12_000,
            from_version=i,
        )
    make_log(
        schedule=schedule,
        grade=1,
        kind=ReviewKind.NEW,
        reviewed_at=clock.now,
        study_day=today,
        from_version=20,
    )
    effort = reads.effort_for(user)
    assert effort.fail_share == 0.25  # reviews only: the new card's miss is not one
    assert effort.review_seconds == 12.0
    assert reads.effort_for(other_user).fail_share is None


def test_the_days_plan_paces_new_cards_in_the_learners_minutes(user, clock):
    for _ in range(40):
        make_question()
    _plan(user, clock, 30, minutes=20)
    day = services.prepare_day(user=user, now=clock.now)
    row = InterviewPlan.objects.get(user=user)
    cards = reads.cards_for(user, user.profile)
    even = plan.plan_day(
        row.as_interview(),
        today_of(user, clock),
        cards,
        default=scheduling.get(scheduling.DEFAULT),
        effort=reads.effort_for(user),
    )
    assert row.new_today == day.new == even.new


def test_a_pace_behind_puts_new_cards_before_due_reviews_in_the_queue(user, clock):
    today = today_of(user, clock)
    for _ in range(30):
        make_question()
    due = make_schedule(user=user, due_on=today)
    _plan(user, clock, 8)  # 30 questions, 6 run-up days: a pace of 5 a day
    day = services.prepare_day(user=user, now=clock.now)
    assert day.new_first and InterviewPlan.objects.get(user=user).new_first
    snapshot = queue.snapshot(user=user, profile=user.profile, now=clock.now)
    assert snapshot.card.kind == ReviewKind.NEW and snapshot.due == 1
    assert snapshot.card.question_id != due.question_id


def test_a_pace_on_time_keeps_due_reviews_first_in_the_queue(user, clock):
    today = today_of(user, clock)
    make_question()
    due = make_schedule(user=user, due_on=today)
    _plan(user, clock, 60)
    day = services.prepare_day(user=user, now=clock.now)
    assert not day.new_first and not InterviewPlan.objects.get(user=user).new_first
    snapshot = queue.snapshot(user=user, profile=user.profile, now=clock.now)
    assert snapshot.card.question_id == due.question_id


def test_a_run_up_day_over_its_limit_moves_the_review_that_can_wait(user, clock):
    today = today_of(user, clock)
    # Due today whatever the plan did: a review failed yesterday and a new
    # card's second answer; and a 12-day review that can wait a day or two.
    failed = make_schedule(user=user, due_on=today, repetitions=0, interval_days=1)
    second = make_schedule(user=user, due_on=today, repetitions=1, interval_days=1)
    long = make_schedule(user=user, due_on=today, repetitions=3, interval_days=12)
    _plan(user, clock, 60)
    day = services.prepare_day(user=user, now=clock.now)
    assert day.phase is plan.Phase.RUN_UP
    assert day.deferred == ((long.question_id, today + timedelta(days=1)),)
    long.refresh_from_db()
    assert long.due_on == today + timedelta(days=1) and long.interval_days == 12
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert InterviewPlan.objects.get(user=user).moved_today == [tomorrow]
    snapshot = queue.snapshot(user=user, profile=user.profile, now=clock.now)
    assert snapshot.due == 2
    assert snapshot.card.question_id in {failed.question_id, second.question_id}

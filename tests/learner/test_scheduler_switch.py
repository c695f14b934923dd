"""Switching a learner with history between SM-2 and FSRS (cards/learner/scheduler_switch.py)."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cards.learner import scheduler_switch
from cards.models import LearnerProfile, ReviewLog, ReviewSchedule, profile_for
from cards.review import services
from cards.review.conflicts import Reason, ReviewConflict
from cards.scheduling import convert, fsrs, sm2
from tests.factories import make_question, make_schedule, make_user

START = datetime(2025, 11, 3, 12, 0, tzinfo=UTC)  # a UTC learner's study days
NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def study(user, questions, *, days=60, start=START):
    """A real history through the grading service: every due card answered
    each day, grades cycling through failures, Hard, Good and Easy."""
    grades = [4, 5, 3, 4, 1, 4, 5, 2, 4, 4]
    n = 0
    for day in range(days):
        now = start + timedelta(days=day)
        for question in questions:
            for _ in range(3):  # a re-drill may follow
                schedule = ReviewSchedule.objects.filter(
                    user=user, question=question
                ).first()
                try:
                    services.record_review(
                        user=user,
                        question=question,
                        grade=grades[n % len(grades)],
                        version=schedule.version if schedule else 0,
                        now=now + timedelta(minutes=11 * _),
                    )
                except ReviewConflict:
                    break
                n += 1


def rows(model, user):
    return [
        json.dumps(row, sort_keys=True, default=str)
        for row in model.objects.filter(user=user).order_by("pk").values()
    ]


def schedule_rows_without_stash(user):
    return [
        {k: v for k, v in row.items() if k != "switched_from"}
        for row in ReviewSchedule.objects.filter(user=user).order_by("pk").values()
    ]


def switch(user, to, now=NOW, retention=None):
    return scheduler_switch.switch_scheduler(
        user=user, to=to, now=now, desired_retention=retention
    )


@pytest.fixture
def learner(db):
    user = make_user()
    study(user, [make_question() for _ in range(4)], days=30)
    return user


def test_switching_to_fsrs_replays_the_history_and_moves_no_due_date(learner):
    schedules_before = schedule_rows_without_stash(learner)
    logs_before = rows(ReviewLog, learner)
    result = switch(learner, "fsrs")
    assert result.converted == result.replayed == 4 and result.restored == 0
    assert LearnerProfile.objects.get(user=learner).scheduler == "fsrs"
    assert rows(ReviewLog, learner) == logs_before  # no log rewritten or lost
    for old, new in zip(
        schedules_before, schedule_rows_without_stash(learner), strict=True
    ):
        assert (new["due_on"], new["redrill_on"], new["lapses"]) == (
            old["due_on"],
            old["redrill_on"],
            old["lapses"],
        )
        assert new["scheduler"] == "fsrs" and new["version"] == old["version"] + 1
        schedule = ReviewSchedule.objects.get(pk=new["id"])
        logs = list(schedule.logs.order_by("reviewed_at", "from_version"))
        assert schedule.as_state() == scheduler_switch.replay(logs, fsrs.FSRS())
        assert schedule.as_state().stability > 0


def test_switching_back_the_same_day_restores_sm2_byte_identically(learner):
    before = rows(ReviewSchedule, learner)
    logs_before = rows(ReviewLog, learner)
    switch(learner, "fsrs")
    assert rows(ReviewSchedule, learner) != before
    result = switch(learner, "sm2", now=NOW + timedelta(hours=10))  # 22:00 UTC
    assert result.restored == 4 and result.converted == 0
    assert rows(ReviewSchedule, learner) == before
    assert rows(ReviewLog, learner) == logs_before


def test_switching_back_another_day_derives_sm2_from_fsrs_keeping_the_ease(learner):
    eases = dict(ReviewSchedule.objects.filter(user=learner).values_list("pk", "ease"))
    switch(learner, "fsrs")
    fsrs_states = {
        s.pk: s.as_state() for s in ReviewSchedule.objects.filter(user=learner)
    }
    due = dict(ReviewSchedule.objects.filter(user=learner).values_list("pk", "due_on"))
    result = switch(learner, "sm2", now=NOW + timedelta(days=1))
    assert result.converted == 4 and result.restored == 0
    for schedule in ReviewSchedule.objects.filter(user=learner):
        state, old = schedule.as_state(), fsrs_states[schedule.pk]
        assert schedule.scheduler == "sm2" and schedule.due_on == due[schedule.pk]
        assert state.ease == eases[schedule.pk]
        expected = old.interval_days if old.phase == "review" else 1
        assert state.interval_days == expected


def test_a_card_answered_after_the_switch_is_converted_not_restored(learner):
    switch(learner, "fsrs")
    schedule = ReviewSchedule.objects.filter(user=learner).order_by("due_on").first()
    due_now = datetime.combine(schedule.due_on, NOW.timetz())
    services.record_review(
        user=learner,
        question=schedule.question,
        grade=4,
        version=schedule.version,
        now=max(due_now, NOW),
    )
    result = switch(learner, "sm2", now=max(due_now, NOW))
    assert result.converted >= 1


def test_a_card_shown_before_the_switch_cannot_be_graded_after_it(learner):
    schedule = ReviewSchedule.objects.filter(user=learner).first()
    shown_version = schedule.version
    switch(learner, "fsrs")
    with pytest.raises(ReviewConflict):
        services.record_review(
            user=learner,
            question=schedule.question,
            grade=4,
            version=shown_version,
            now=NOW + timedelta(days=400),
        )


def test_a_card_without_its_full_history_gets_ankis_conversion(db):
    user = make_user()
    schedule = make_schedule(user=user, repetitions=4, interval_days=30, ease="2.10")
    switch(user, "fsrs")
    schedule.refresh_from_db()
    engine = fsrs.FSRS()
    expected = convert.fsrs_from_sm2(
        engine, sm2.CardState(repetitions=4, interval_days=30, ease=Decimal("2.10"))
    )
    assert schedule.as_state() == expected
    assert expected.stability == pytest.approx(30) and 1 <= expected.difficulty <= 10


def test_the_replay_of_an_fsrs_history_is_the_state_fsrs_mode_gave(db):
    user = make_user(scheduler="fsrs")
    study(user, [make_question() for _ in range(3)], days=40)
    for schedule in ReviewSchedule.objects.filter(user=user):
        logs = list(schedule.logs.order_by("reviewed_at", "from_version"))
        assert scheduler_switch.replay(logs, fsrs.FSRS()) == schedule.as_state()


def test_ankis_formula_puts_ninety_percent_recall_at_the_interval():
    engine = fsrs.FSRS()
    stability, difficulty = convert.memory_state_from_sm2(engine, ease=2.5, interval=10)
    assert stability == pytest.approx(10)
    state = fsrs.FSRSState(
        phase="review",
        step=None,
        stability=stability,
        difficulty=difficulty,
        interval_days=10,
    )
    from datetime import date

    day = date(2026, 1, 5)
    assert engine.recall_probability(
        state, day + timedelta(days=10), reviewed_on=day
    ) == pytest.approx(0.9)
    # A lower ease is a harder card.
    assert convert.memory_state_from_sm2(engine, ease=1.3, interval=10)[1] > difficulty
    assert convert.fsrs_from_sm2(engine, sm2.CardState()) == fsrs.FSRSState()


@pytest.mark.parametrize(
    ("to", "retention", "error"),
    [("sm3", None, ValueError), ("fsrs", Decimal("0.99"), ValidationError)],
)
def test_a_bad_switch_writes_nothing(learner, to, retention, error):
    before, profile = (
        rows(ReviewSchedule, learner),
        rows(type(profile_for(learner)), learner),
    )
    with pytest.raises(error):
        switch(learner, to, retention=retention)
    assert rows(ReviewSchedule, learner) == before
    assert rows(LearnerProfile, learner) == profile


def test_the_settings_page_switches_and_refuses_a_bad_retention(client, learner):
    client.force_login(learner)
    page = client.get(reverse("cards:settings")).text
    assert "above 0.90 the workload rises quickly" in page.lower()
    assert 'id="scheduler-panel"' in page
    bad = client.post(
        reverse("cards:scheduler_settings"),
        {"scheduler": "fsrs", "desired_retention": "0.99"},
    )
    assert bad.status_code == 400 and "was not changed" in bad.text
    assert LearnerProfile.objects.get(user=learner).scheduler == "sm2"
    ok = client.post(
        reverse("cards:scheduler_settings"),
        {"scheduler": "fsrs", "desired_retention": "0.85"},
    )
    assert ok.status_code == 302
    profile = LearnerProfile.objects.get(user=learner)
    assert (profile.scheduler, profile.desired_retention) == ("fsrs", Decimal("0.85"))
    assert set(
        ReviewSchedule.objects.filter(user=learner).values_list("scheduler", flat=True)
    ) == {"fsrs"}
    assert "Switched to FSRS: 4 cards converted" in client.get(ok.url).text


def test_the_workload_estimate_falls_as_retention_falls(client, learner):
    client.force_login(learner)
    r = client.get(reverse("cards:workload"), headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.text
    assert r.text.count("<tr") == 5 and 'id="workload"' in r.text
    assert "default parameters have a log-loss of" in r.text
    assert "no optimiser that fits them qualifies here" in r.text
    from cards.learner import workload

    rows_ = workload.estimate(user=learner, profile=profile_for(learner), now=NOW)
    per_day = [row.per_day for row in rows_]
    assert [row.retention for row in rows_] == [0.80, 0.85, 0.90, 0.95]
    assert per_day == sorted(per_day) and per_day[-1] > per_day[0] > 0
    assert client.get(reverse("cards:workload")).status_code == 200


def test_an_answer_from_before_a_switch_is_undone_after_switching_back(db):
    user, question = make_user(), make_question()
    log = services.record_review(
        user=user, question=question, grade=5, version=0, now=NOW
    )
    switch(user, "fsrs")
    with pytest.raises(ReviewConflict) as refused:
        services.undo_review(user=user, log_id=log.pk, now=NOW)
    assert refused.value.reason is Reason.LATER_ANSWERS
    switch(user, "sm2")
    services.undo_review(user=user, log_id=log.pk, now=NOW)
    assert not ReviewSchedule.objects.filter(user=user).exists()


def test_a_learner_who_started_on_fsrs_gets_sm2s_default_ease_on_switching(db):
    # No SM-2 answer and no stashed SM-2 state: the ease is SM-2's default
    # (the passing streak skips the re-drills, FSRS's learning steps, it meets).
    user = make_user(scheduler="fsrs")
    failed, passed = make_question(), make_question()
    for question, grades in ((failed, (1, 4, 4)), (passed, (4, 4))):
        for minutes, grade in zip((0, 11, 22), grades, strict=False):
            schedule = ReviewSchedule.objects.filter(user=user, question=question)
            services.record_review(
                user=user,
                question=question,
                grade=grade,
                version=schedule.get().version if schedule else 0,
                now=NOW + timedelta(minutes=minutes),
            )
    assert ReviewLog.objects.filter(user=user, kind="redrill").count() >= 2
    switch(user, "sm2", now=NOW + timedelta(days=3))
    for question in (failed, passed):
        state = ReviewSchedule.objects.get(user=user, question=question).as_state()
        assert state.ease == sm2.DEFAULT_EASE


def test_the_workload_estimate_of_a_learner_on_fsrs_marks_their_retention(learner):
    from django.contrib.auth import get_user_model

    from cards.learner import workload

    switch(learner, "fsrs", retention=Decimal("0.85"))
    learner = get_user_model().objects.get(pk=learner.pk)  # the profile as saved
    rows_ = workload.estimate(user=learner, profile=profile_for(learner), now=NOW)
    assert [row.is_current for row in rows_] == [False, True, False, False]
    assert all(row.per_day > 0 for row in rows_)

"""The daily loop for a learner who chose FSRS: grading, previews, undo, exactly-once."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import transaction
from django.urls import reverse

from cards.models import ReviewLog, ReviewSchedule, profile_for
from cards.review import answer, buttons, services
from cards.review.conflicts import Reason, ReviewConflict
from cards.scheduling import fsrs
from tests.factories import make_question, make_user

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)  # study day 2026-01-05 (UTC learner)
TODAY = date(2026, 1, 5)


@pytest.fixture
def learner(db):
    return make_user(scheduler="fsrs")


def grade(user, question, g, *, now=NOW, flow="review"):
    schedule = ReviewSchedule.objects.filter(user=user, question=question).first()
    return services.record_review(
        user=user,
        question=question,
        grade=g,
        version=schedule.version if schedule else 0,
        now=now,
        flow=flow,
    )


def state_of(user, question):
    return ReviewSchedule.objects.get(user=user, question=question)


def test_a_first_answer_starts_an_fsrs_schedule_in_its_learning_steps(learner):
    question = make_question()
    log = grade(learner, question, 4)
    schedule = state_of(learner, question)
    expected = fsrs.FSRS().next_state(fsrs.FSRSState(), 4, elapsed_days=0)
    assert (schedule.scheduler, log.scheduler) == ("fsrs", "fsrs")
    assert schedule.as_state() == expected and expected.phase == "learning"
    # A step: back later today, due tomorrow if not answered again today.
    assert schedule.redrill_on == TODAY and schedule.due_on == TODAY + timedelta(1)
    assert schedule.interval_days == 0
    assert log.state_before == fsrs.FSRS().dumps(fsrs.FSRSState())


def test_the_same_day_step_graduates_the_card_with_fsrs_interval(learner):
    question = make_question()
    grade(learner, question, 4)
    log = grade(learner, question, 4, now=NOW + timedelta(minutes=11))
    schedule = state_of(learner, question)
    assert log.kind == "redrill" and schedule.as_state().phase == "review"
    assert schedule.redrill_on is None
    assert schedule.due_on == TODAY + timedelta(days=schedule.interval_days)
    assert schedule.interval_days >= 1


def test_easy_on_a_new_card_skips_the_steps(learner):
    question = make_question()
    grade(learner, question, 5)
    schedule = state_of(learner, question)
    assert schedule.redrill_on is None and schedule.as_state().phase == "review"


def test_hard_on_a_review_does_not_come_back_today_unlike_sm2(learner):
    question = make_question()
    grade(learner, question, 5)
    due = state_of(learner, question).due_on
    log = grade(learner, question, 3, now=NOW + (due - TODAY))
    schedule = state_of(learner, question)
    assert log.kind == "review" and schedule.redrill_on is None
    assert schedule.due_on > due


def test_again_on_a_review_is_a_lapse_and_relearns_later_today(learner):
    question = make_question()
    grade(learner, question, 5)
    due = state_of(learner, question).due_on
    later = NOW + (due - TODAY)
    grade(learner, question, 1, now=later)
    schedule = state_of(learner, question)
    assert schedule.lapses == 1 and schedule.as_state().phase == "relearning"
    assert schedule.redrill_on == due
    # Failing the relearning step again is no second lapse.
    grade(learner, question, 1, now=later + timedelta(minutes=11))
    assert state_of(learner, question).lapses == 1


def test_desired_retention_sets_the_interval(db):
    days = []
    for retention in ("0.80", "0.95"):
        user = make_user(scheduler="fsrs", desired_retention=retention)
        question = make_question()
        grade(user, question, 5)
        days.append(state_of(user, question).interval_days)
    assert days[0] > days[1]


def previews(user, question, today):
    profile = profile_for(user)
    schedule = ReviewSchedule.objects.filter(user=user, question=question).first()
    kind = answer.kind_of(schedule, today=today)
    elapsed = schedule.elapsed_days(today=today, profile=profile) if schedule else 0
    return {
        g: answer.outcome_for(
            kind,
            schedule,
            grade=g,
            today=today,
            elapsed_days=elapsed,
            new_scheduler=profile.scheduler,
            desired_retention=profile.retention,
        )
        for g in range(6)
    }


@pytest.mark.parametrize("history", [[], [5], [4, 4], [5, 1], [5, 4, 3]])
def test_every_preview_is_exactly_what_grading_does(learner, history):
    """No fuzz: for each grade, the outcome the button shows is the one stored."""
    question, now = make_question(), NOW
    for g in history:
        grade(learner, question, g, now=now)
        schedule = state_of(learner, question)
        now = (
            now + timedelta(minutes=11)
            if schedule.redrill_on
            else now + (schedule.due_on - profile_for(learner).study_day(now))
        )
    today = profile_for(learner).study_day(now)
    shown = previews(learner, question, today)
    for g, preview in shown.items():
        sid = transaction.savepoint_create()
        grade(learner, question, g, now=now)
        schedule = state_of(learner, question)
        assert schedule.as_state() == preview.state
        assert (schedule.due_on, schedule.redrill_on) == (
            preview.due_on,
            preview.redrill_on,
        )
        transaction.savepoint_rollback(sid)


def test_the_buttons_of_a_learned_card_show_three_different_intervals(learner):
    question = make_question()
    grade(learner, question, 5)
    due = state_of(learner, question).due_on
    shown = previews(learner, question, due)
    shown_buttons = buttons.buttons(scale="four", today=due, outcome=shown.__getitem__)
    intervals = [b.interval for b in shown_buttons]
    assert intervals[0] == "today" and len(set(intervals[1:])) == 3
    assert "see it again later today" in shown_buttons[0].aria_label


def test_undo_restores_the_fsrs_state_whole(learner):
    question = make_question()
    grade(learner, question, 5)
    before = ReviewSchedule.objects.values().get(user=learner, question=question)
    due = before["due_on"]
    log = grade(learner, question, 1, now=NOW + (due - TODAY))
    services.undo_review(user=learner, log_id=log.pk, now=NOW + (due - TODAY))
    assert ReviewSchedule.objects.values().get(pk=before["id"]) == before


def test_a_stale_or_double_answer_is_refused_in_fsrs_mode(learner):
    question = make_question()
    grade(learner, question, 5)
    with pytest.raises(ReviewConflict) as refused:
        services.record_review(
            user=learner, question=question, grade=4, version=0, now=NOW
        )
    assert refused.value.reason is Reason.STALE
    assert ReviewLog.objects.filter(user=learner).count() == 1


def test_the_review_screen_says_the_redrill_rule_does_not_apply(client, learner):
    question = make_question()
    client.force_login(learner)
    url = reverse("cards:reveal", args=[question.pk]) + "?version=0"
    body = client.get(url).text
    assert "SM-2’s rule that answers below Good come back today does not apply" in body
    sm2_user = make_user()
    client.force_login(sm2_user)
    assert "does not apply" not in client.get(url).text


def test_grading_through_the_view_in_fsrs_mode(client, learner):
    question = make_question()
    client.force_login(learner)
    r = client.post(
        reverse("cards:grade", args=[question.pk]),
        {"grade": 5, "version": 0},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and '<section id="card"' in r.text
    assert state_of(learner, question).scheduler == "fsrs"


def test_progress_counts_fsrs_cards_in_review_as_settled(client, learner):
    from cards.progress import queries

    stepping, learned = make_question(), make_question()
    grade(learner, stepping, 4)  # in a learning step
    grade(learner, learned, 5)  # straight to review
    level = queries.cards_by_level(learner, today=TODAY)[0]  # both are Basic
    assert (level.learning, level.young) == (1, 1)
    # FSRS has no ease: the ease figures are SM-2's cards only.
    assert level.ease is None and queries.ease_counts(learner) == ()
    client.force_login(learner)
    assert client.get(reverse("cards:progress")).status_code == 200

"""Suspend, notes and reports: the queue leaves suspended cards out, history stays."""

from datetime import UTC, date, datetime, timedelta

import pytest

from cards.care import reads, services
from cards.models import (
    CardNote,
    Level,
    ProblemReport,
    ReviewLog,
    ReviewSchedule,
    Suspension,
    profile_for,
)
from cards.review import queue
from tests.factories import make_log, make_question, make_schedule, make_user

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
TODAY = date(2026, 1, 5)


def snap(user, levels=()):
    return queue.snapshot(user=user, profile=profile_for(user), now=NOW, levels=levels)


def test_a_suspended_due_card_leaves_the_queue_and_its_counts(user):
    due = make_schedule(user=user, due_on=TODAY - timedelta(days=1))
    other = make_schedule(user=user, due_on=TODAY)
    make_log(schedule=due, reviewed_at=NOW - timedelta(days=7), study_day=TODAY)
    before = snap(user)
    assert before.due == 2 and before.due_by_tomorrow == 2

    services.suspend_card(user=user, question=due.question, now=NOW)

    after = snap(user)
    assert after.due == 1 and after.reviews_left == 1 and after.due_by_tomorrow == 1
    assert after.card.question_id == other.question_id
    assert after.new_available == 0
    # History kept: the schedule and its log are untouched.
    assert ReviewSchedule.objects.filter(pk=due.pk).exists()
    assert ReviewLog.objects.filter(schedule=due).count() == 1


def test_a_suspended_redrill_leaves_the_queue(user):
    redrill = make_schedule(user=user, due_on=TODAY + timedelta(1), redrill_on=TODAY)
    services.suspend_card(user=user, question=redrill.question, now=NOW)
    q = snap(user)
    assert q.redrills == 0 and q.card is None


def test_a_suspended_new_card_is_not_served_nor_counted_as_new(user):
    first = make_question(level=Level.BASIC, position=1)
    second = make_question(level=Level.BASIC, position=2)
    assert snap(user).card.question_id == first.pk
    assert snap(user).new_available == 2

    services.suspend_card(user=user, question=first, now=NOW)

    q = snap(user)
    assert q.card.question_id == second.pk and q.new_available == 1 and q.new_left == 1


def test_new_count_stays_right_with_started_and_suspended_cards(user):
    started = make_schedule(user=user, due_on=TODAY + timedelta(days=3))
    make_question()
    new_suspended = make_question()
    services.suspend_card(user=user, question=started.question, now=NOW)
    services.suspend_card(user=user, question=new_suspended, now=NOW)
    assert snap(user).new_available == 1
    assert snap(user).next_due_on is None  # the only scheduled card is suspended


def test_the_level_filter_counts_only_its_suspensions(user):
    basic = make_question(level=Level.BASIC)
    make_question(level=Level.ADVANCED)
    services.suspend_card(user=user, question=basic, now=NOW)
    assert snap(user, levels=(Level.ADVANCED,)).new_available == 1
    assert snap(user, levels=(Level.BASIC,)).new_available == 0


def test_unsuspend_brings_the_card_back_with_its_schedule(user):
    due = make_schedule(user=user, due_on=TODAY - timedelta(days=1))
    services.suspend_card(user=user, question=due.question, now=NOW)
    services.suspend_card(user=user, question=due.question, now=NOW)  # idempotent
    assert Suspension.objects.count() == 1
    assert services.unsuspend_card(user=user, question=due.question)
    assert not services.unsuspend_card(user=user, question=due.question)
    assert snap(user).card.question_id == due.question_id


def test_one_learners_suspension_leaves_another_learners_queue_alone(user):
    question = make_question()
    other = make_user()
    services.suspend_card(user=other, question=question, now=NOW)
    assert snap(user).card.question_id == question.pk
    assert snap(other).card is None


def test_a_note_is_saved_edited_and_deleted_when_emptied(user):
    question = make_question()
    services.save_note(
        user=user, question=question, text="  Think KV cache\r\n", now=NOW
    )
    assert reads.for_card(user, question.pk).note == "Think KV cache"
    services.save_note(user=user, question=question, text="Second", now=NOW)
    assert CardNote.objects.get().text == "Second"
    assert services.save_note(user=user, question=question, text=" ", now=NOW) is None
    assert not CardNote.objects.exists()


def test_a_note_over_the_limit_is_refused_and_writes_nothing(user):
    question = make_question()
    services.save_note(user=user, question=question, text="kept", now=NOW)
    with pytest.raises(services.CareError, match="limit is 1,000"):
        services.save_note(user=user, question=question, text="x" * 1001, now=NOW)
    assert CardNote.objects.get().text == "kept"


def test_notes_are_private(user):
    question = make_question()
    services.save_note(user=user, question=question, text="mine", now=NOW)
    assert reads.for_card(make_user(), question.pk).note == ""


def test_a_report_needs_a_note_and_is_resolved_once(user):
    question = make_question()
    with pytest.raises(services.CareError):
        services.report_problem(user=user, question=question, note="  ", now=NOW)
    assert not ProblemReport.objects.exists()
    report = services.report_problem(
        user=user, question=question, note="Answer is outdated", now=NOW
    )
    admin = make_user(is_staff=True)
    reports = ProblemReport.objects.all()
    assert services.resolve_reports(reports=reports, by=admin, now=NOW) == 1
    assert services.resolve_reports(reports=reports, by=admin, now=NOW) == 0
    report.refresh_from_db()
    assert report.is_resolved and report.resolved_by == admin


@pytest.mark.parametrize(("lapses", "leech"), [(0, False), (7, False), (8, True)])
def test_a_card_with_eight_lapses_is_a_leech(user, lapses, leech):
    schedule = make_schedule(user=user, lapses=lapses)
    assert reads.for_card(user, schedule.question_id).is_leech is leech


def test_deleting_the_account_removes_notes_suspensions_and_reports(user):
    from cards.learner import userdata

    question = make_question()
    services.save_note(user=user, question=question, text="n", now=NOW)
    services.suspend_card(user=user, question=question, now=NOW)
    services.report_problem(user=user, question=question, note="bad", now=NOW)
    userdata.delete_account(user=user)
    assert not CardNote.objects.exists()
    assert not Suspension.objects.exists()
    assert not ProblemReport.objects.exists()


def test_the_progress_forecast_leaves_suspended_cards_out(user):
    from cards.progress import queries

    overdue = make_schedule(user=user, due_on=TODAY - timedelta(days=3))
    make_schedule(user=user, due_on=TODAY + timedelta(days=1))
    assert sum(queries.due_by_day(user, today=TODAY, days=7).values()) == 2
    services.suspend_card(user=user, question=overdue.question, now=NOW)
    forecast = queries.due_by_day(user, today=TODAY, days=7)
    assert forecast == {TODAY + timedelta(days=1): 1}


def test_a_suspended_backlog_is_not_offered_for_spreading(user):
    from cards.planning import dashboard

    overdue = [
        make_schedule(user=user, due_on=TODAY - timedelta(days=5)) for _ in range(40)
    ]
    assert dashboard.backlog(user, profile_for(user), NOW).due == 40
    for schedule in overdue[:20]:
        services.suspend_card(user=user, question=schedule.question, now=NOW)
    assert dashboard.backlog(user, profile_for(user), NOW) is None

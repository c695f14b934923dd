"""Exactly-once grading (plan items 1, 8, 9 and 11).

Item 1 twice: replays straight to services.record_review, and the same replays
as HTTP POSTs to the grade endpoint from two tabs, with and without htmx. That
htmx shows the 409 to the learner is a browser test:
tests/browser/test_review.py::test_second_tab_and_bad_input_show_messages.
"""

from datetime import UTC, date, datetime

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.urls import reverse

from cards.models import ReviewLog, ReviewSchedule
from cards.review import services
from cards.review.conflicts import MESSAGES, Reason
from tests.clock import frozen_moment
from tests.factories import NO_KEY_POINT_FORMS, make_question, make_schedule, make_user

NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)
TODAY = date(2026, 1, 5)
HTMX = {"HX-Request": "true"}
STATE = ("repetitions", "interval_days", "ease", "due_on", "lapses", "redrill_on")


def state(schedule: ReviewSchedule) -> dict:
    schedule.refresh_from_db()
    return {f.name: getattr(schedule, f.name) for f in ReviewSchedule._meta.fields}


def grade(user, question, g, version):
    return services.record_review(
        user=user, question=question, grade=g, version=version, now=NOW
    )


# Item 1 ---------------------------------------------------------------------


def test_replayed_grades_add_nothing(db, figure):
    replayer, control = make_user(), make_user()
    cards = []
    for n in range(50):
        question = make_question()
        if n % 2:  # a card due for review (a shown version 2) ...
            for learner in (replayer, control):
                make_schedule(user=learner, question=question, due_on=TODAY)
            cards.append((question, 2))
        else:  # ... or a new card (version 0)
            cards.append((question, 0))
    refused = extra_rows = double_advances = 0
    for question, version in cards:
        grade(replayer, question, 4, version)
        grade(control, question, 4, version)
        rows = ReviewLog.objects.filter(user=replayer).count()
        for _ in range(10):  # double click, second tab, proxy retry ...
            with pytest.raises(services.ReviewConflict, match="already answered"):
                grade(replayer, question, 4, version)
            refused += 1
        extra_rows += ReviewLog.objects.filter(user=replayer).count() - rows
        mine = ReviewSchedule.objects.get(user=replayer, question=question)
        twin = ReviewSchedule.objects.get(user=control, question=question)
        if [getattr(mine, f) for f in (*STATE, "version")] != [
            getattr(twin, f) for f in (*STATE, "version")
        ]:
            double_advances += 1
    figure(
        1,
        f"service level: extra ReviewLog rows after 10 replays x 50 cards: "
        f"{extra_rows}; double advances: {double_advances}; {refused} x 409",
    )
    assert (extra_rows, double_advances, refused) == (0, 0, 500)


def test_replayed_http_grades_add_nothing(db, figure):
    """2x and 10x the same (card, version) through cards:grade, from two tabs."""
    replayer, control = make_user(), make_user()
    tab_a, tab_b, twin = Client(), Client(), Client()
    for client, learner in ((tab_a, replayer), (tab_b, replayer), (twin, control)):
        client.force_login(learner)
    today = replayer.profile.study_day(frozen_moment())
    cards = []
    for n in range(50):
        question = make_question()
        if n % 2:  # a review due today (shown as version 2) ...
            for learner in (replayer, control):
                make_schedule(user=learner, question=question, due_on=today)
            cards.append((question, 2))
        else:  # ... or a new card (version 0)
            cards.append((question, 0))
    four_buttons = ["1", "3", "4", "5"]
    first_accepted = refused = extra_rows = double_advances = 0
    for n, (question, version) in enumerate(cards):
        url = reverse("cards:grade", args=[question.pk])
        chosen = {"grade": four_buttons[n % 4], "version": str(version)}
        htmx = HTMX if n % 2 else {}
        twin.post(url, chosen, headers=htmx)  # the single-grade result
        first = tab_b.post(url, chosen, headers=htmx)
        first_accepted += first.status_code == (200 if htmx else 302)
        rows = ReviewLog.objects.filter(user=replayer).count()
        for i in range(10):  # double click, tab A after tab B, proxy retry ...
            tab = tab_a if i % 2 == 0 else tab_b
            replay = tab.post(
                url,
                {"grade": four_buttons[(n + i) % 4], "version": str(version)},
                headers=HTMX if (i // 2) % 2 else {},
            )
            refused += (
                replay.status_code == 409 and MESSAGES[Reason.STALE] in replay.text
            )
        extra_rows += ReviewLog.objects.filter(user=replayer).count() - rows
        mine = ReviewSchedule.objects.get(user=replayer, question=question)
        single = ReviewSchedule.objects.get(user=control, question=question)
        if [getattr(mine, f) for f in (*STATE, "version")] != [
            getattr(single, f) for f in (*STATE, "version")
        ]:
            double_advances += 1
    figure(
        1,
        f"HTTP: extra ReviewLog rows after 10 replays x 50 cards: {extra_rows}; "
        f"double advances: {double_advances}; {first_accepted} accepted, "
        f"{refused} x 409 'already answered' (2 tabs, htmx and plain)",
    )
    assert (first_accepted, refused) == (50, 500)
    assert (extra_rows, double_advances) == (0, 0)
    assert ReviewLog.objects.filter(user=replayer).count() == 50


def test_grade_from_a_stale_tab_is_refused(user):
    schedule = make_schedule(user=user, due_on=TODAY)
    shown_in_both_tabs = schedule.version
    grade(user, schedule.question, 5, shown_in_both_tabs)  # tab B
    after_b = state(schedule)
    with pytest.raises(services.ReviewConflict):
        grade(user, schedule.question, 1, shown_in_both_tabs)  # tab A
    assert state(schedule) == after_b
    assert ReviewLog.objects.count() == 1


# Item 8 ---------------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user(username="root", is_superuser=True))
    return client


def admin_edit(admin_client, question, **changes):
    data = (
        {
            "key": question.key,
            "level": question.level,
            "position": question.position,
            "prompt": question.prompt,
            "answer": question.answer,
            "is_active": "on" if question.is_active else "",
        }
        | NO_KEY_POINT_FORMS
        | changes
    )
    url = reverse("admin:cards_question_change", args=[question.pk])
    return admin_client.post(url, {k: v for k, v in data.items() if v != ""})


def test_admin_edit_while_a_card_is_shown_keeps_the_schedule(admin_client, figure):
    learner = make_user()
    resets = server_errors = 0
    for n in range(50):
        schedule = make_schedule(
            user=learner, due_on=TODAY, repetitions=3, interval_days=15, version=7
        )
        question = schedule.question
        shown = schedule.version  # the learner sees the card ...
        edit = admin_edit(  # ... an admin rewrites it ...
            admin_client,
            question,
            prompt=f"Rewritten prompt {n}?",
            answer=f"New **{n}**",
        )
        server_errors += edit.status_code >= 500
        assert edit.status_code == 302, edit.text
        assert state(schedule)["version"] == shown  # content edits never bump it
        grade(learner, question, 4, shown)  # ... and the learner grades
        after = state(schedule)
        if after["repetitions"] != 4 or after["version"] != shown + 1:
            resets += 1
        question.refresh_from_db()
        assert f"<strong>{n}</strong>" in question.answer_html  # next fetch: new text
    figure(
        8,
        f"{resets} schedule resets, {server_errors} x 5xx over 50 edit/grade interleavings",
    )
    assert (resets, server_errors) == (0, 0)


# Item 9 ---------------------------------------------------------------------


def test_question_with_history_cannot_be_deleted_in_admin(admin_client, figure):
    learner = make_user()
    schedule = make_schedule(user=learner, due_on=TODAY)
    question = schedule.question
    grade(learner, question, 4, schedule.version)
    logs_before = ReviewLog.objects.count()
    delete_url = reverse("admin:cards_question_delete", args=[question.pk])
    responses = [
        admin_client.get(delete_url),
        admin_client.post(delete_url, {"post": "yes"}),
        admin_client.post(
            reverse("admin:cards_question_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [question.pk],
                "post": "yes",
            },
        ),
    ]
    statuses = [r.status_code for r in responses]
    server_errors = sum(s >= 500 for s in statuses)
    logs_after = ReviewLog.objects.count()
    figure(
        9,
        f"ReviewLog rows before == after admin delete attempts ({logs_before} == "
        f"{logs_after}); {server_errors} x 5xx",
    )
    assert statuses == [200, 200, 200]
    assert all("Cannot delete" in r.text for r in responses)
    assert logs_after == logs_before
    assert ReviewSchedule.objects.filter(pk=schedule.pk).exists()


def test_question_without_history_can_be_deleted(admin_client):
    question = make_question()
    url = reverse("admin:cards_question_delete", args=[question.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not type(question).objects.filter(pk=question.pk).exists()


def test_pending_grade_on_a_retired_card_is_refused(admin_client):
    learner = make_user()
    schedule = make_schedule(user=learner, due_on=TODAY)
    shown = schedule.version
    assert admin_edit(admin_client, schedule.question, is_active="").status_code == 302
    before = state(schedule)
    with pytest.raises(services.ReviewConflict) as refused:
        grade(learner, schedule.question, 4, shown)
    assert refused.value.reason == Reason.RETIRED
    assert state(schedule) == before and not ReviewLog.objects.exists()


# Item 11 --------------------------------------------------------------------


def _fail_every_log_insert() -> None:
    """A trigger that fails the log's INSERT inside the database, after the
    schedule's row was written (in the same statement on PostgreSQL's one
    write, in the same transaction on the ORM path). Rolled back with the test."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION injected_failure() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER injected_failure BEFORE INSERT ON cards_reviewlog "
                "FOR EACH ROW EXECUTE FUNCTION injected_failure()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER injected_failure BEFORE INSERT ON cards_reviewlog "
                "BEGIN SELECT RAISE(ABORT, 'injected'); END"
            )


def test_failure_after_the_schedule_update_leaves_no_half_write(user, figure):
    kinds = ["new", "review", "redrill"]
    cases = []
    for n in range(100):
        kind = kinds[n % 3]
        if kind == "new":
            cases.append((make_question(), None))
        else:
            schedule = make_schedule(
                user=user,
                due_on=TODAY,
                redrill_on=TODAY if kind == "redrill" else None,
                lapses=n,
            )
            cases.append((schedule.question, schedule))
    _fail_every_log_insert()
    half_writes = 0
    for n, (question, schedule) in enumerate(cases):
        before = state(schedule) if schedule else None
        # SQLite reports RAISE(ABORT) as a constraint: a refusal, also no write.
        with pytest.raises((DatabaseError, services.ReviewConflict)):
            grade(user, question, n % 6, schedule.version if schedule else 0)
        if schedule is None:
            half_writes += ReviewSchedule.objects.filter(question=question).exists()
        else:
            half_writes += state(schedule) != before
    half_writes += ReviewLog.objects.count()
    figure(11, f"{half_writes} of 100 injected failures left a half-write")
    assert half_writes == 0

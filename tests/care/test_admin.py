"""The admin's report list and its "needs attention" list."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from cards.care import services
from cards.models import ProblemReport, Question
from tests.clock import frozen_moment
from tests.factories import make_log, make_question, make_schedule, make_user

NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)
REPORTS = "/admin/cards/problemreport/"
ATTENTION = "/admin/cards/questionneedingattention/"


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user(username="editor", is_superuser=True))
    return client


def test_reports_list_shows_question_reporter_and_note(admin_client):
    question = make_question(prompt="What does RoPE rotate?")
    reporter = make_user(username="kim")
    services.report_problem(
        user=reporter, question=question, note="Wrong sign", now=NOW
    )
    r = admin_client.get(REPORTS)
    assert r.status_code == 200
    assert "What does RoPE rotate?" in r.text and "kim" in r.text
    assert "Wrong sign" in r.text and "Open" in r.text
    assert reverse("admin:cards_question_change", args=[question.pk]) in r.text


def test_the_resolve_action_resolves_by_the_admin(admin_client):
    question = make_question()
    report = services.report_problem(
        user=make_user(), question=question, note="typo", now=NOW
    )
    r = admin_client.post(
        REPORTS,
        {"action": "resolve", "_selected_action": [report.pk]},
        follow=True,
    )
    assert "1 report(s) resolved." in r.text
    report.refresh_from_db()
    assert report.is_resolved and report.resolved_by.username == "editor"
    assert "typo" not in admin_client.get(REPORTS + "?status=open").text


def test_reports_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get(REPORTS + "add/").status_code == 403


def verified(days_ago: int | None = 0, **fields) -> Question:
    question = make_question(**fields)
    if days_ago is not None:
        question.verified_on = frozen_moment().astimezone(UTC).date() - timedelta(
            days=days_ago
        )
        question.save()
    return question


def test_needs_attention_lists_reported_and_rewrite_questions_only(admin_client):
    reported = verified(prompt="Reported one?")
    fine = verified(prompt="A fine one?")
    rewrite = verified(prompt="A hard one?")
    learner = make_user()
    services.report_problem(user=learner, question=reported, note="bad", now=NOW)
    schedule = make_schedule(user=learner, question=rewrite, ease="1.30")
    make_log(schedule=schedule, grade=1, reviewed_at=NOW, study_day=date(2026, 1, 5))
    make_schedule(user=learner, question=fine, ease="2.50")
    r = admin_client.get(ATTENTION)
    assert r.status_code == 200
    assert "Reported one?" in r.text and "reported (1 open)" in r.text
    assert "A hard one?" in r.text and "needs rewriting" in r.text
    assert "A fine one?" not in r.text
    only = admin_client.get(ATTENTION + "?reason=reported").text
    assert "Reported one?" in only and "A hard one?" not in only


def test_questions_not_verified_for_a_year_need_attention(admin_client):
    verified(364, prompt="Checked this year?")
    verified(366, prompt="Checked long ago?")
    verified(None, prompt="Never checked?")
    r = admin_client.get(ATTENTION + "?reason=unverified")
    assert "Checked this year?" not in r.text
    assert "Checked long ago?" in r.text and "not verified for a year" in r.text
    assert "Never checked?" in r.text and "never verified" in r.text


def test_a_resolved_report_leaves_the_attention_list(admin_client):
    question = verified(prompt="Once reported?")
    services.report_problem(user=make_user(), question=question, note="x", now=NOW)
    services.resolve_reports(
        reports=ProblemReport.objects.all(), by=make_user(), now=NOW
    )
    assert "Once reported?" not in admin_client.get(ATTENTION).text


def test_learners_cannot_see_reports(client, db):
    client.force_login(make_user())
    assert client.get(REPORTS).status_code == 302

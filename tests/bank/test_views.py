"""Learner-facing question bank pages: what changed in a question; the Anki deck."""

from datetime import UTC, date, datetime

from django.urls import reverse

from cards.bank import services as bank_services
from tests.factories import make_question, make_schedule, make_user

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def rewrite(question, answer, *, substantial=True, prompt=None):
    question.answer = answer
    if prompt:
        question.prompt = prompt
    revision, _ = bank_services.save_question(
        question=question, editor=None, now=NOW, substantial=substantial
    )
    return revision


def test_learner_sees_the_diff_of_an_unseen_substantial_change(logged_in_client, user):
    schedule = make_schedule(user=user, due_on=date(2026, 6, 1))
    question = schedule.question
    rewrite(question, "Transformers use **self-attention**.\nNew second line.")
    url = reverse("cards:question_changes", args=[question.pk])
    r = logged_in_client.get(url)
    assert r.status_code == 200
    assert "since you last answered it" in r.text
    assert '<div class="diff-line diff-removed">' in r.text
    assert "<del>A </del>" in r.text and "<ins>Transformers use </ins>" in r.text
    assert (
        '<div class="diff-line diff-added"><span class="diff-sign" aria-hidden="true">+</span>'
        in r.text
    )
    assert "<strong>self-attention</strong>" in r.text  # the new answer, rendered
    assert 'href="/review/"' in r.text


def test_page_works_after_the_change_was_seen(logged_in_client, user):
    schedule = make_schedule(user=user)
    rewrite(schedule.question, "Newer.")
    schedule.refresh_from_db()
    schedule.unseen_change = None
    schedule.save()
    r = logged_in_client.get(
        reverse("cards:question_changes", args=[schedule.question_id])
    )
    assert r.status_code == 200 and "Last rewritten on 5 Jan 2026" in r.text
    assert "<ins>Newer</ins>" in r.text


def test_minor_edits_show_no_change(logged_in_client, user):
    schedule = make_schedule(user=user)
    rewrite(schedule.question, "Typo fixed.", substantial=False)
    r = logged_in_client.get(
        reverse("cards:question_changes", args=[schedule.question_id])
    )
    assert r.status_code == 200 and "has not been rewritten" in r.text


def test_prompt_changes_are_shown_too(logged_in_client, user):
    schedule = make_schedule(user=user)
    rewrite(schedule.question, "Same idea.", prompt="A sharper prompt?")
    r = logged_in_client.get(
        reverse("cards:question_changes", args=[schedule.question_id])
    )
    assert (
        "Changes to the question" in r.text and "<ins>A sharper prompt</ins>" in r.text
    )


def test_other_learners_and_unknown_questions_get_404(client, user, other_user):
    schedule = make_schedule(user=user)
    rewrite(schedule.question, "Secret new answer.")
    client.force_login(other_user)
    for question_id in (schedule.question_id, make_question().pk, 999_999):
        r = client.get(reverse("cards:question_changes", args=[question_id]))
        assert r.status_code == 404 and "Secret" not in r.text


def test_changes_page_needs_login_and_get(client, logged_in_client, user):
    url = reverse("cards:question_changes", args=[make_schedule(user=user).question_id])
    assert logged_in_client.post(url).status_code == 405
    client.logout()
    r = client.get(url)
    assert r.status_code == 302 and "/accounts/login/" in r.url


def test_learner_downloads_the_anki_deck(client, logged_in_client, questions):
    r = logged_in_client.get(reverse("cards:anki_deck"))
    assert r.status_code == 200
    assert b"".join(r.streaming_content).startswith(b"PK")
    assert r["Content-Disposition"] == 'attachment; filename="genai-prep.apkg"'
    client.logout()
    assert client.get(reverse("cards:anki_deck")).status_code == 302


def test_dates_are_shown_in_the_learners_time_zone(client, db, settings):
    # 12:00 UTC on 5 Jan is already 6 Jan in Kiritimati (UTC+14), whatever
    # zone the server runs in (found by make clock-sweep in Pacific/Auckland).
    settings.TIME_ZONE = "America/Los_Angeles"
    learner = make_user(time_zone="Pacific/Kiritimati")
    schedule = make_schedule(user=learner)
    rewrite(schedule.question, "Newer.")
    client.force_login(learner)
    r = client.get(reverse("cards:question_changes", args=[schedule.question_id]))
    assert "on 6 Jan 2026" in r.text

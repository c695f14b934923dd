"""The review screen over HTTP: reveal, grade, undo, with and without htmx."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from cards.models import LearnerProfile, Level, ReviewLog, ReviewSchedule
from cards.review import services
from tests.clock import frozen_moment
from tests.factories import make_question, make_schedule

HTMX = {"HX-Request": "true"}


def today():
    """The study day of a default learner (UTC, rollover 4) at the frozen moment."""
    return LearnerProfile().study_day(frozen_moment())


def grade_url(question_id):
    return reverse("cards:grade", args=[question_id])


def reveal_url(question_id):
    return reverse("cards:reveal", args=[question_id])


def card_html(text):
    return text[text.index('<section id="card"') :]


def _outside_the_back(text):
    """The page without its inert <template data-back> (what is shown)."""
    return re.sub(r"<template data-back>.*?</template>", "", text, flags=re.S)


def test_front_shows_the_prompt_counts_and_keeps_the_answer_hidden(logged_in_client):
    question = make_question(prompt="What is **RAG**?", answer="Retrieval SECRET")
    make_question()
    r = logged_in_client.get(reverse("cards:review"))
    assert r.status_code == 200
    assert "<strong>RAG</strong>" in r.text
    # One request per card: the answer travels with the card, in an inert
    # template the browser reveals; nothing of it is shown on the front.
    assert "SECRET" not in _outside_the_back(r.text)
    assert r.text.count("SECRET") == 1
    assert re.search(r'count-n">2</span> <span class="count-label">new', r.text)
    assert f'action="{reveal_url(question.pk)}"' in r.text
    assert 'name="version" value="0"' in r.text
    assert r.headers["Cache-Control"].startswith("max-age=0")


def test_front_carries_the_back_with_buttons_and_the_grade_form(logged_in_client):
    question = make_question(answer="Retrieval SECRET")
    r = logged_in_client.get(reverse("cards:review"), headers=HTMX)
    back = re.search(r"<template data-back>(.*?)</template>", r.text, flags=re.S)
    assert back, "the self-graded card carries its back"
    back = back.group(1)
    assert "SECRET" in back
    assert f'hx-post="{reverse("cards:grade", args=[question.pk])}"' in back
    assert 'name="version" value="0"' in back
    assert len(re.findall(r'name="grade" value="\d"', back)) == 4
    assert 'data-face="front"' in r.text  # the server still sends the front


def test_type_first_front_carries_no_answer_text(logged_in_client, user):
    LearnerProfile.objects.filter(user=user).update(type_answer_first=True)
    make_question(answer="Retrieval SECRET")
    r = logged_in_client.get(reverse("cards:review"))
    assert r.status_code == 200
    assert "SECRET" not in r.text and "<template data-back>" not in r.text


def test_htmx_front_is_only_the_card(logged_in_client):
    make_question()
    r = logged_in_client.get(reverse("cards:review"), headers=HTMX)
    assert r.status_code == 200
    assert r.text.lstrip().startswith('<section id="card"') and "<html" not in r.text


def test_reveal_shows_answer_and_four_buttons_with_intervals(logged_in_client):
    question = make_question(answer="Retrieval *augmented*")
    r = logged_in_client.get(
        reveal_url(question.pk), {"version": 0, "shown_at": 5}, headers=HTMX
    )
    assert r.status_code == 200 and "<html" not in r.text
    assert "Retrieval <em>augmented</em>" in r.text
    buttons = re.findall(r'name="grade" value="(\d)"', r.text)
    assert buttons == ["1", "3", "4", "5"]
    assert re.search(
        r'<button [^>]*value="4"[^>]*aria-describedby="grade-4-help"[^>]*>\s*'
        r'<span class="grade-label">Good</span>\s*<span class="grade-interval">1 d</span>',
        r.text,
    )
    assert (
        '<span id="grade-4-help" hidden>Correct after some hesitation: next in 1 day'
        in r.text
    )
    assert "aria-label=" not in r.text[r.text.index('class="grades') :]
    assert 'name="shown_at" value="5"' in r.text


def test_reveal_works_without_javascript(logged_in_client):
    question = make_question(answer="The answer")
    r = logged_in_client.get(reveal_url(question.pk), {"version": 0})
    assert r.status_code == 200 and "<html" in r.text and "The answer" in r.text
    assert f'action="{grade_url(question.pk)}"' in r.text


def test_six_button_scale(logged_in_client, user):
    LearnerProfile.objects.filter(user=user).update(grade_scale="six")
    question = make_question()
    r = logged_in_client.get(reveal_url(question.pk), {"version": 0}, headers=HTMX)
    assert re.findall(r'data-grade-key="(\d)"', r.text) == list("012345")
    assert "Complete blackout" in r.text


def test_reveal_of_a_stale_or_undue_card_is_a_conflict(logged_in_client, user):
    schedule = make_schedule(user=user, due_on=today())
    later = make_schedule(user=user, due_on=today() + timedelta(3))
    stale = logged_in_client.get(
        reveal_url(schedule.question_id), {"version": 1}, headers=HTMX
    )
    assert stale.status_code == 409 and "already answered" in stale.text
    undue = logged_in_client.get(
        reveal_url(later.question_id), {"version": later.version}, headers=HTMX
    )
    assert undue.status_code == 409 and "not due today" in undue.text


def test_grade_with_htmx_swaps_in_the_next_card(logged_in_client, user):
    first, second = make_question(position=1), make_question(position=2)
    r = logged_in_client.post(
        grade_url(first.pk), {"grade": "4", "version": "0"}, headers=HTMX
    )
    assert r.status_code == 200 and "<html" not in r.text
    assert f'action="{reveal_url(second.pk)}"' in r.text
    assert re.search(r'count-n">1</span> <span class="count-label">new', r.text)
    log = ReviewLog.objects.get(user=user)
    assert f'name="log" value="{log.pk}"' in r.text  # the Undo button


@pytest.mark.parametrize("question_id", [2**63 - 1, 2**63, 10**20])
def test_grade_of_an_id_out_of_any_column_range_is_a_404(logged_in_client, question_id):
    # The grade's own read (grade_sql.read, prepared as int8 on PostgreSQL) once
    # answered 2**63 with a 500 where the ORM matches nothing.
    url = f"/review/{question_id}/grade/"
    response = logged_in_client.post(url, {"grade": "4", "version": "0"})
    assert response.status_code == 404
    assert not ReviewLog.objects.exists()


def test_grade_without_htmx_redirects(logged_in_client, user):
    question = make_question(level=Level.ADVANCED)
    r = logged_in_client.post(
        grade_url(question.pk), {"grade": "5", "version": "0", "level": "3"}
    )
    assert r.status_code == 302 and r.url == "/review/?level=3"
    assert ReviewSchedule.objects.get(user=user, question=question).version == 1


def test_grade_records_the_time_on_the_card(logged_in_client, user):
    question = make_question()
    shown_at = int((frozen_moment() - timedelta(seconds=7)).timestamp() * 1000)
    logged_in_client.post(
        grade_url(question.pk), {"grade": "4", "version": "0", "shown_at": shown_at}
    )
    assert 6_000 < ReviewLog.objects.get(user=user).duration_ms < 60_000


def test_replayed_grade_is_a_visible_conflict_and_changes_nothing(
    logged_in_client, user
):
    schedule = make_schedule(user=user, due_on=today())
    data = {"grade": "5", "version": schedule.version}
    assert (
        logged_in_client.post(
            grade_url(schedule.question_id), data, headers=HTMX
        ).status_code
        == 200
    )
    schedule.refresh_from_db()
    after = (schedule.version, schedule.due_on, schedule.interval_days)
    for _ in range(10):
        r = logged_in_client.post(grade_url(schedule.question_id), data, headers=HTMX)
        assert r.status_code == 409
        assert "already answered (perhaps in another tab)" in r.text
        assert r.text.lstrip().startswith('<section id="card"')
    schedule.refresh_from_db()
    assert (schedule.version, schedule.due_on, schedule.interval_days) == after
    assert ReviewLog.objects.filter(user=user).count() == 1


def test_conflict_without_htmx_is_a_full_page(logged_in_client, user):
    schedule = make_schedule(user=user, due_on=today())
    r = logged_in_client.post(
        grade_url(schedule.question_id), {"grade": "4", "version": "1"}
    )
    assert r.status_code == 409 and "<html" in r.text and "already answered" in r.text


def test_second_tab_that_graded_first_wins(user):
    tab_a, tab_b = Client(), Client()
    tab_a.force_login(user)
    tab_b.force_login(user)
    question = make_question()
    assert (
        tab_b.post(grade_url(question.pk), {"grade": "1", "version": "0"}).status_code
        == 302
    )
    r = tab_a.post(grade_url(question.pk), {"grade": "5", "version": "0"}, headers=HTMX)
    assert r.status_code == 409
    assert ReviewLog.objects.get(user=user).grade == 1


def test_retired_question_cannot_be_graded(logged_in_client, user):
    question = make_question(is_active=False)
    r = logged_in_client.post(
        grade_url(question.pk), {"grade": "4", "version": "0"}, headers=HTMX
    )
    assert r.status_code == 409 and "retired" in r.text
    assert not ReviewLog.objects.exists()


def test_unknown_question_is_404(logged_in_client):
    r = logged_in_client.post(grade_url(999_999), {"grade": "4", "version": "0"})
    assert r.status_code == 404
    assert logged_in_client.get(reveal_url(999_999), {"version": 0}).status_code == 404


def test_last_card_shows_the_finish_screen(logged_in_client, user):
    question = make_question()
    make_schedule(user=user, due_on=today() + timedelta(1))
    r = logged_in_client.post(
        grade_url(question.pk), {"grade": "5", "version": "0"}, headers=HTMX
    )
    assert "All done for today" in r.text
    assert "<strong>1</strong> answer today" in r.text
    assert "Tomorrow: <strong>2</strong> reviews due." in r.text
    assert 'href="/progress/"' in r.text


def test_finish_screen_says_when_the_limit_ended_the_session(logged_in_client, user):
    LearnerProfile.objects.filter(user=user).update(new_cards_per_day=1)
    first = make_question()
    make_question(), make_question()
    r = logged_in_client.post(
        grade_url(first.pk), {"grade": "5", "version": "0"}, headers=HTMX
    )
    text = " ".join(r.text.split())
    assert "Daily limit reached: 2 new questions are waiting." in text
    assert 'href="/settings/"' in r.text


def test_level_restriction_is_kept_through_the_session(logged_in_client):
    basic = make_question(level=Level.BASIC)
    advanced = [make_question(level=Level.ADVANCED) for _ in range(2)]
    r = logged_in_client.get(reverse("cards:review"), {"level": "3"})
    assert f'action="{reveal_url(advanced[0].pk)}"' in r.text
    assert '<input type="hidden" name="level" value="3">' in card_html(r.text)
    assert "Only Advanced" in r.text
    r = logged_in_client.post(
        grade_url(advanced[0].pk),
        {"grade": "5", "version": "0", "level": "3"},
        headers=HTMX,
    )
    assert f'action="{reveal_url(advanced[1].pk)}"' in r.text
    r = logged_in_client.post(
        grade_url(advanced[1].pk),
        {"grade": "5", "version": "0", "level": "3"},
        headers=HTMX,
    )
    assert "Nothing left in Advanced today" in r.text
    assert reveal_url(basic.pk) not in r.text


# Undo ----------------------------------------------------------------------


def test_undo_with_htmx_shows_the_card_again(logged_in_client, user):
    schedule = make_schedule(user=user, due_on=today())
    before = ReviewSchedule.objects.filter(pk=schedule.pk).values().get()
    logged_in_client.post(
        grade_url(schedule.question_id), {"grade": "1", "version": schedule.version}
    )
    log = ReviewLog.objects.get(user=user)
    r = logged_in_client.post(reverse("cards:undo"), {"log": log.pk}, headers=HTMX)
    assert r.status_code == 200 and "Answer taken back" in r.text
    assert f'action="{reveal_url(schedule.question_id)}"' in r.text
    assert ReviewSchedule.objects.filter(pk=schedule.pk).values().get() == before
    assert not ReviewLog.objects.exists()


def test_undo_without_htmx_redirects_to_that_card(logged_in_client, user):
    first, second = make_question(), make_question()
    for question in (first, second):
        logged_in_client.post(grade_url(question.pk), {"grade": "5", "version": "0"})
    newest = ReviewLog.objects.latest("pk")
    r = logged_in_client.post(reverse("cards:undo"), {"log": newest.pk})
    assert r.status_code == 302 and r.url == f"/review/?card={second.pk}"
    page = logged_in_client.get(r.url)
    assert f'action="{reveal_url(second.pk)}"' in page.text
    assert "Answer taken back" in page.text
    # The next Undo takes back the answer before it.
    older = ReviewLog.objects.get()
    assert f'name="log" value="{older.pk}"' in page.text


def test_undo_twice_is_a_friendly_404(logged_in_client, user):
    question = make_question()
    logged_in_client.post(grade_url(question.pk), {"grade": "5", "version": "0"})
    log = ReviewLog.objects.get()
    logged_in_client.post(reverse("cards:undo"), {"log": log.pk}, headers=HTMX)
    r = logged_in_client.post(reverse("cards:undo"), {"log": log.pk}, headers=HTMX)
    assert r.status_code == 404 and "already" in r.text
    assert r.headers["Content-Type"].startswith("text/plain")


def test_undo_of_another_learners_answer_is_404(logged_in_client, other_user):
    log = services.record_review(
        user=other_user,
        question=make_question(),
        grade=4,
        version=0,
        now=frozen_moment(),
    )
    r = logged_in_client.post(reverse("cards:undo"), {"log": log.pk})
    assert r.status_code == 404
    assert ReviewLog.objects.filter(pk=log.pk).exists()


def test_undo_of_yesterdays_answer_is_a_conflict(logged_in_client, user):
    log = services.record_review(
        user=user,
        question=make_question(),
        grade=4,
        version=0,
        now=frozen_moment() - timedelta(days=2),
    )
    r = logged_in_client.post(reverse("cards:undo"), {"log": log.pk}, headers=HTMX)
    assert r.status_code == 409 and "today" in r.text
    assert ReviewLog.objects.filter(pk=log.pk).exists()


# Access --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "cards:review", []),
        ("get", "cards:reveal", [1]),
        ("post", "cards:grade", [1]),
        ("post", "cards:undo", []),
        ("get", "cards:settings", []),
        ("post", "cards:settings", []),
    ],
)
def test_anonymous_is_sent_to_log_in(client, db, method, name, args):
    r = getattr(client, method)(reverse(name, args=args))
    assert r.status_code == 302 and r.url.startswith("/accounts/login/?next=")


def test_anonymous_htmx_request_redirects_the_whole_page(client, db):
    r = client.post(
        grade_url(1),
        {"grade": "4", "version": "0"},
        headers={**HTMX, "HX-Current-URL": "http://testserver/review/?level=2"},
    )
    assert r.status_code == 200
    assert r.headers["HX-Redirect"] == "/accounts/login/?next=/review/%3Flevel%3D2"


@pytest.mark.parametrize("name", ["cards:grade", "cards:undo"])
def test_writes_are_post_only(logged_in_client, name):
    args = [1] if name == "cards:grade" else []
    assert logged_in_client.get(reverse(name, args=args)).status_code == 405


def test_grade_needs_a_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    question = make_question()
    r = client.post(grade_url(question.pk), {"grade": "4", "version": "0"})
    assert r.status_code == 403 and not ReviewLog.objects.exists()


def test_review_page_scripts_carry_the_csp_nonce(logged_in_client):
    make_question()
    r = logged_in_client.get(reverse("cards:review"))
    nonce = re.search(r"'nonce-([^']+)'", r.headers["Content-Security-Policy"])[1]
    scripts = re.findall(r"<script[^>]*>", r.text)
    assert any("js/review.js" in s for s in scripts)
    assert all(f'nonce="{nonce}"' in s for s in scripts)
    assert "style=" not in r.text and " on" + "click" not in r.text
    assert "hx-on" not in r.text


def test_dashboard_links_each_level(logged_in_client, questions):
    r = logged_in_client.get("/")
    assert 'href="/review/?level=3">Advanced</a>' in r.text


# --- Questions rewritten since the learner's last answer (issues 3 and 5) -----


def test_rewritten_question_shows_a_note_until_answered(logged_in_client, user):
    schedule = make_schedule(
        user=user, due_on=today() + timedelta(days=30), repetitions=3, interval_days=30
    )
    question = schedule.question
    question.answer = "A substantially better answer."
    from cards.bank import services as bank_services

    bank_services.save_question(
        question=question, editor=None, now=frozen_moment(), substantial=True
    )
    study_day = user.profile.study_day(frozen_moment())
    schedule.refresh_from_db()
    assert schedule.due_on <= study_day + timedelta(days=1)
    # Look from the day it comes back.
    ReviewSchedule.objects.filter(pk=schedule.pk).update(due_on=study_day)
    r = logged_in_client.get(reverse("cards:review"))
    link = reverse("cards:question_changes", args=[question.pk])
    assert "rewritten since you last answered it" in card_html(r.text)
    assert f'href="{link}"' in r.text
    schedule.refresh_from_db()
    logged_in_client.post(
        grade_url(question.pk), {"grade": "4", "version": schedule.version}
    )
    r = logged_in_client.get(reverse("cards:review"))
    assert "rewritten since" not in r.text


def test_dashboard_offers_the_anki_deck(logged_in_client, questions):
    r = logged_in_client.get("/")
    assert f'href="{reverse("cards:anki_deck")}"' in r.text

"""The card info page: every answer, the memory state, and why the card is due."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cards.learner import scheduler_switch
from cards.models import LearnerTopic, Question, ReviewSchedule, profile_for
from cards.review import card_info, services
from tests.factories import make_question, make_topic, make_user

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
TODAY = date(2026, 1, 5)


def answer(user, question, grade, now, duration_ms=4_200):
    schedule = ReviewSchedule.objects.filter(user=user, question=question).first()
    return services.record_review(
        user=user,
        question=question,
        grade=grade,
        version=schedule.version if schedule else 0,
        now=now,
        duration_ms=duration_ms,
    )


def history(user, question):
    answer(user, question, 3, NOW)  # back later today in both schedulers
    answer(user, question, 4, NOW + timedelta(minutes=11))
    due = ReviewSchedule.objects.get(user=user, question=question).due_on
    answer(user, question, 5, NOW + (due - TODAY), duration_ms=None)
    return ReviewSchedule.objects.get(user=user, question=question)


def info_of(user, question, now=NOW):
    schedule = ReviewSchedule.objects.filter(user=user, question=question).first()
    return card_info.context(schedule, question=question, user=user, now=now)["info"]


@pytest.mark.parametrize("scheduler", ["sm2", "fsrs"])
def test_the_page_lists_every_answer_with_its_details(client, db, scheduler):
    user = make_user(scheduler=scheduler)
    question = make_question()
    schedule = history(user, question)
    client.force_login(user)
    body = client.get(reverse("cards:card_info", args=[question.pk])).text
    assert "3 answers, oldest first" in body and body.count("<tr>") == 4
    assert "3 · Hard" in body and "5 · Easy" in body and "4.2 s" in body
    assert schedule.due_on.strftime("%-d %b %Y") in body
    assert ("Retrievability at review" in body) is (scheduler == "fsrs")
    assert 'id="why-due"' in body


def test_fsrs_rows_carry_stability_difficulty_and_retrievability(db):
    user = make_user(scheduler="fsrs")
    question = make_question()
    schedule = history(user, question)
    info = info_of(user, question)
    first, step, review = info.rows
    assert first.retrievability is None and first.interval == "later today (a step)"
    assert 0 < review.retrievability < 1 and review.stability > 0
    assert 1 <= review.difficulty <= 10
    state = schedule.as_state()
    assert info.stability == state.stability and info.retrievability_today == 1.0
    assert f"after {state.interval_days} days" in info.why
    assert "desired retention (90%)" in info.why


def test_why_due_for_each_case(db):
    question = make_question()
    assert "not answered this card yet" in info_of(make_user(), question).why
    sm2 = make_user()
    answer(sm2, question, 1, NOW)
    assert "SM-2 brings it back later today" in info_of(sm2, question).why
    fsrs = make_user(scheduler="fsrs")
    answer(fsrs, question, 4, NOW)
    assert "FSRS's short learning steps" in info_of(fsrs, question).why
    learned = make_user()
    history(learned, question)
    assert "second success in a row" in info_of(learned, question).why
    veteran = make_user()
    schedule = history(veteran, question)
    later = NOW + (schedule.due_on - TODAY)
    answer(veteran, question, 4, later)
    why = info_of(veteran, question, now=later).why
    assert "multiplied the previous interval by the card's ease" in why
    scheduler_switch.switch_scheduler(user=learned, to="fsrs", now=NOW)
    assert "set by SM-2 before you switched to FSRS" in info_of(learned, question).why


def test_the_review_screen_links_to_it_and_others_see_only_their_own(
    client, user, clock
):
    clock.move_to(NOW)  # the history below is written at NOW: the screen's today
    question = make_question()
    history(user, question)
    client.force_login(user)
    url = reverse("cards:card_info", args=[question.pk])
    fresh = make_question()  # the card the review screen shows now
    shown = client.get(reverse("cards:review")).text
    assert f'href="{reverse("cards:card_info", args=[fresh.pk])}"' in shown
    other = make_user()
    client.force_login(other)
    body = client.get(url).text
    assert "not answered this card yet" in body and "No answers yet." in body
    assert client.get(reverse("cards:card_info", args=[999_999])).status_code == 404


def test_staff_see_any_learners_card_info_from_the_admin(client, user):
    question = make_question()
    schedule = history(user, question)
    url = reverse("admin:cards_reviewschedule_card_info", args=[schedule.pk])
    staff = make_user(is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403  # staff without the view permission
    staff.user_permissions.add(Permission.objects.get(codename="view_reviewschedule"))
    listing = client.get(reverse("admin:cards_reviewschedule_changelist")).text
    assert url in listing
    body = client.get(url).text
    assert "3 answers, oldest first" in body and user.get_username() in body
    client.force_login(make_user())
    assert client.get(url).status_code == 302  # not staff: to the admin login
    assert profile_for(user).scheduler == "sm2"


def test_opens_only_questions_the_learner_may_see_or_has_answered(client, user, clock):
    clock.move_to(NOW)
    demo = make_topic(name="Demo placeholders", is_opt_in=True)
    placeholder = make_question(prompt="(demo 001) placeholder?", topics=[demo])
    retired = make_question(prompt="Retired one?", is_active=False)
    answered = make_question(prompt="Answered, then retired?")
    history(user, answered)
    Question.objects.filter(pk=answered.pk).update(is_active=False)
    client.force_login(user)

    def status(question):
        return client.get(reverse("cards:card_info", args=[question.pk])).status_code

    assert status(placeholder) == 404 and status(retired) == 404
    body = client.get(reverse("cards:card_info", args=[answered.pk])).text
    assert "Retired from the bank." in body and "Answered, then retired?" in body
    assert status(make_question()) == 200  # a fresh, visible question
    LearnerTopic.objects.create(user=user, topic=demo, is_studied=True)
    assert status(placeholder) == 200  # the demo learner's own topic

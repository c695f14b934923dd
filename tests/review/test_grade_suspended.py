"""A card suspended in one tab cannot be graded from another that still shows it."""

import pytest
from django.test import Client
from django.urls import reverse

from cards.models import ReviewLog, ReviewSchedule, StudyDay
from tests.factories import make_question, make_schedule
from tests.review.test_views import HTMX, grade_url, today


def _two_tabs(user):
    tab_a, tab_b = Client(), Client()
    tab_a.force_login(user)
    tab_b.force_login(user)
    return tab_a, tab_b


def _suspend_in(tab, question_id):
    r = tab.post(reverse("cards:suspend", args=[question_id]), {"action": "suspend"})
    assert r.status_code in (200, 302)


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "no-js"])
def test_grading_a_card_suspended_in_another_tab_is_refused(user, headers):
    schedule = make_schedule(user=user, due_on=today())
    make_question()  # a next card to show
    tab_a, tab_b = _two_tabs(user)
    assert tab_a.get(reverse("cards:review")).status_code == 200  # A shows it
    _suspend_in(tab_b, schedule.question_id)
    r = tab_a.post(
        grade_url(schedule.question_id),
        {"grade": "4", "version": str(schedule.version)},
        headers=headers,
    )
    assert r.status_code == 409 and "was suspended" in r.text
    assert ("<html" in r.text) is (headers == {})
    assert not ReviewLog.objects.filter(user=user).exists()
    assert not StudyDay.objects.filter(user=user).exists()
    after = ReviewSchedule.objects.get(pk=schedule.pk)
    assert (after.version, after.due_on) == (schedule.version, schedule.due_on)


def test_a_new_card_suspended_in_another_tab_is_not_started(user):
    question = make_question()
    tab_a, tab_b = _two_tabs(user)
    _suspend_in(tab_b, question.pk)
    r = tab_a.post(grade_url(question.pk), {"grade": "4", "version": "0"}, headers=HTMX)
    assert r.status_code == 409 and "was suspended" in r.text
    assert not ReviewSchedule.objects.filter(user=user).exists()

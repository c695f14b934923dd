"""What the digest says: counts, streak and the interview countdown."""

from datetime import timedelta

import pytest

from cards.models import profile_for
from cards.planning.models import InterviewPlan
from cards.reminders import digest
from tests.factories import make_schedule, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    user = make_user(username="ada", email="ada@example.com")
    make_schedule(user=user)  # one review due today
    return user


def _today(user, clock):
    return profile_for(user).study_day(clock.now)


def _bodies(user, found):
    message = digest.message_for(user, found)
    ((html, _),) = message.alternatives
    return message.body, html


@pytest.mark.parametrize(
    ("days", "said"),
    [(12, "12 days to your interview."), (1, "1 day to your interview."),
     (0, "Your interview is today.")],
)  # fmt: skip
def test_the_digest_counts_down_to_the_interview(learner, clock, days, said):
    today = _today(learner, clock)
    InterviewPlan.objects.create(
        user=learner, interview_on=today + timedelta(days=days), set_on=today
    )
    found, why_not = digest.digest_for(learner, now=clock.now)
    assert why_not == "" and found.days_to_interview == days
    text, html = _bodies(learner, found)
    assert said in text and f"<p>{said}</p>" in html


@pytest.mark.parametrize("interview", ["none", "cleared", "passed"])
def test_no_countdown_without_a_coming_interview(learner, clock, interview):
    today = _today(learner, clock)
    if interview != "none":
        InterviewPlan.objects.create(
            user=learner,
            interview_on=None if interview == "cleared" else today - timedelta(1),
            set_on=today - timedelta(days=30),
        )
    found, _ = digest.digest_for(learner, now=clock.now)
    assert found.total == 1 and found.countdown == ""
    text, html = _bodies(learner, found)
    assert "interview" not in text and "interview" not in html


def test_one_learners_interview_is_not_in_anothers_digest(learner, clock):
    other = make_user(username="bob", email="bob@example.com")
    today = _today(other, clock)
    InterviewPlan.objects.create(
        user=other, interview_on=today + timedelta(days=3), set_on=today
    )
    found, _ = digest.digest_for(learner, now=clock.now)
    assert found.interview_on is None

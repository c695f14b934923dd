"""seed_demo: a demo learner whose history went through the real grading service."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Max

from cards.learner import demo
from cards.models import Question, ReviewKind, ReviewLog, ReviewSchedule
from tests.clock import frozen_moment
from tests.factories import make_user

SMALL = ["--days", "60", "--questions", "30"]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (
        get_user_model().objects.count(),
        Question.objects.count(),
        ReviewSchedule.objects.count(),
        ReviewLog.objects.count(),
    )


def test_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1, or with --force"):
        run(*SMALL)
    assert counts() == (0, 0, 0, 0)


def test_seeds_a_history_and_refreshes_it_identically(db, settings):
    settings.DEBUG = True
    out = run(*SMALL)
    assert "Log in as demo / demo-prep-2026" in out
    first = counts()
    users, questions, schedules, logs = first
    assert (users, questions) == (1, 10 + 168 + 30)  # seed, packs, placeholders
    assert schedules > 20 and logs > 5 * schedules // 2
    run(*SMALL)
    assert counts() == first


def test_history_has_the_shape_the_real_service_writes(db, settings):
    settings.DEBUG = True
    before = frozen_moment()
    run(*SMALL, "--seed", "7")
    user = get_user_model().objects.get(username="demo")
    assert user.check_password(demo.PASSWORD)
    profile = user.profile
    logs = ReviewLog.objects.filter(user=user)
    # Every answer is dated in the past, on the study day of its moment.
    assert logs.aggregate(Max("reviewed_at"))["reviewed_at__max"] <= before
    assert all(
        profile.study_day(log.reviewed_at) == log.study_day
        for log in logs.only("reviewed_at", "study_day")
    )
    first_day = logs.order_by("study_day").first().study_day
    assert first_day >= profile.study_day(before) - timedelta(days=59)
    # One log per accepted answer: each schedule's version counts its answers.
    per_schedule = dict(logs.values_list("schedule").annotate(n=Count("id")))
    for schedule in ReviewSchedule.objects.filter(user=user):
        assert schedule.version == per_schedule[schedule.pk]
    kinds = set(logs.values_list("kind", flat=True))
    assert kinds == {ReviewKind.NEW, ReviewKind.REVIEW, ReviewKind.REDRILL}
    grades = set(logs.values_list("grade", flat=True))
    assert grades == {0, 1, 2, 3, 4, 5}


def test_never_wipes_a_real_learner_called_demo(db, settings):
    settings.DEBUG = True
    make_user(username="demo", email="someone@example.com")
    with pytest.raises(CommandError, match="--username"):
        run(*SMALL, "--force")
    assert get_user_model().objects.filter(email="someone@example.com").exists()
    run(*SMALL, "--username", "demo2")
    assert ReviewLog.objects.filter(user__username="demo2").exists()


def test_bank_only_adds_no_questions(db, settings):
    settings.DEBUG = True
    run("--days", "20", "--questions", "0", "--force")
    assert Question.objects.count() == 10 + 168  # the seed and the packs


@pytest.mark.parametrize("args", [["--days", "0"], ["--questions", "5000"]])
def test_bad_arguments_are_refused(db, settings, args):
    settings.DEBUG = True
    with pytest.raises(CommandError):
        run(*args)
    assert counts() == (0, 0, 0, 0)


def test_placeholders_reach_only_the_demo_learner(db, settings, client):
    from django.urls import reverse

    from cards.bank import deck
    from cards.models import profile_for
    from cards.review import queue

    settings.DEBUG = True
    run(*SMALL)
    placeholders = Question.objects.filter(key__startswith=demo.KEY_PREFIX)
    assert placeholders.count() == 30
    assert all(q.topics.get().is_opt_in for q in placeholders)
    demo_user = get_user_model().objects.get(username="demo")
    assert ReviewSchedule.objects.filter(
        user=demo_user, question__in=placeholders
    ).exists()
    learner = make_user()
    now = frozen_moment()
    snap = queue.snapshot(user=learner, profile=profile_for(learner), now=now)
    assert snap.new_available == 10 + 168  # the seed and the packs, no placeholder
    client.force_login(learner)
    page = client.get(reverse("cards:browse"), {"q": "demo"})
    assert "(demo 0" not in page.text
    assert not [
        k for k in deck._shared().values_list("key", flat=True) if k.startswith("demo-")
    ]

"""What bench/profile_grade.py and bench/time_grade.py share: Django set up as
the tests have it, a learner with due cards, and grading the queue's head
through the test client as htmx does (form-encoded: multipart costs the test
client's parser ~1 ms a card that no browser asks for)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlencode


def setup() -> None:
    """Django with the test environment, plain static storage, migrated."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_prep.settings")
    os.environ.setdefault("DJANGO_HTTPS", "0")  # as the benchmark's server
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()  # the test client's response.context, no mail
    # Plain static storage, as the tests: no collectstatic manifest needed.
    storages = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    override_settings(STORAGES=storages).enable()
    call_command("migrate", verbosity=0)


@contextmanager
def learner_with_due_cards(tag: str, cards: int, *, answer: bool = False) -> Iterator:
    """A learner with `cards + 10` reviews due and 20 new questions; the
    learner and the questions are deleted afterwards."""
    from django.utils import timezone

    from tests.factories import make_question, make_schedule, make_user

    learner = make_user(username=f"{tag}-{os.getpid()}")
    today = learner.profile.study_day(timezone.now())
    label = f"{tag} {os.getpid()}"
    questions = [
        make_question(prompt=f"{label} question {i}?", answer=f"Answer **{i}**.")
        if answer
        else make_question(prompt=f"{label} question {i}?")
        for i in range(cards + 30)
    ]
    for question in questions[: cards + 10]:
        make_schedule(user=learner, question=question, due_on=today - timedelta(days=3))
    try:
        yield learner, questions
    finally:
        learner.delete()
        for question in questions:
            question.delete()


def grader(client) -> Callable[[str], str]:
    """grade(page): grade the card `page` shows Good; the next card's fragment."""
    from django.urls import reverse

    def grade(page: str) -> str:
        qid, version = head(page)
        r = client.post(
            reverse("cards:grade", args=[qid]),
            urlencode({"grade": 4, "version": version, "shown_at": "1"}),
            content_type="application/x-www-form-urlencoded",
            headers={"HX-Request": "true"},
        )
        assert r.status_code == 200, r.status_code
        return r.text

    return grade


def head(page: str) -> tuple[int, int]:
    """The question id and version of the card a review fragment shows."""
    url = re.search(r"/review/(\d+)/grade/", page)
    version = re.search(r'name="version" value="(\d+)"', page)
    if not url or not version:
        raise SystemExit("no card to grade on the page")
    return int(url.group(1)), int(version.group(1))

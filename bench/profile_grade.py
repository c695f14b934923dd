"""Profile self-graded cards in process: one grade request each (htmx), PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db> \\
        .venv/bin/python -m bench.profile_grade [cards]

Migrates the scratch database, makes one learner with `cards` due cards (and a
deck of new ones), logs in with the test client, warms up, then grades the
queue's head `cards` times under cProfile. Prints the CPU time per card (the
median of the requests, with the process's own CPU clock), the round trips of
one card on the wire (bench/wire.py) and the profile's top functions. The
learner is removed afterwards; nothing else in the database is touched.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from datetime import timedelta
from urllib.parse import urlencode


def main(cards: int = 60) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_prep.settings")
    os.environ.setdefault("DJANGO_HTTPS", "0")  # as the benchmark's server
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from bench import wire
    from tests.factories import make_question, make_schedule, make_user

    setup_test_environment()  # the test client's response.context, no mail
    from django.conf import settings
    from django.test.utils import override_settings

    # Plain static storage, as the tests: no collectstatic manifest needed.
    storages = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    override_settings(STORAGES=storages).enable()
    call_command("migrate", verbosity=0)
    learner = make_user(username=f"profile-{os.getpid()}")
    today = learner.profile.study_day(timezone.now())
    tag = f"profile {os.getpid()}"
    questions = [
        make_question(prompt=f"{tag} question {i}?") for i in range(cards + 30)
    ]
    for question in questions[: cards + 10]:
        make_schedule(user=learner, question=question, due_on=today - timedelta(days=3))
    client = Client()
    client.force_login(learner)
    try:
        page = client.get(reverse("cards:review")).text

        def grade_head(text: str) -> str:
            qid, version = _head(text)
            # Form-encoded, as htmx and browsers send it (the test client's
            # default, multipart, costs the parser ~1 ms that no browser asks for).
            r = client.post(
                reverse("cards:grade", args=[qid]),
                urlencode({"grade": 4, "version": version, "shown_at": "1"}),
                content_type="application/x-www-form-urlencoded",
                headers={"HX-Request": "true"},
            )
            assert r.status_code == 200, r.status_code
            return r.text

        for _ in range(5):  # warm: compiled statements, templates
            page = grade_head(page)
        connection.close_if_unusable_or_obsolete()
        with wire.traced() as trace:
            page = grade_head(page)
        print(
            f"one card on the wire: {trace.round_trips} round trips: {trace.summary()}"
        )
        times = []
        profile = cProfile.Profile()
        for _ in range(cards - 6):
            connection.close_if_unusable_or_obsolete()  # as request_started
            start = time.process_time()
            profile.enable()
            page = grade_head(page)
            profile.disable()
            times.append(time.process_time() - start)
        print(
            f"{len(times)} cards: CPU per card median "
            f"{statistics.median(times) * 1000:.2f} ms "
            f"(min {min(times) * 1000:.2f}, max {max(times) * 1000:.2f}); "
            "profiler on, so read the ratios, not the absolute figure"
        )
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(15)
        print(out.getvalue())
    finally:
        learner.delete()
        for question in questions:
            question.delete()


def _head(page: str) -> tuple[int, int]:
    """The question id and version of the card a review fragment shows."""
    url = re.search(r"/review/(\d+)/grade/", page)
    version = re.search(r'name="version" value="(\d+)"', page)
    if not url or not version:
        raise SystemExit("no card to grade on the page")
    return int(url.group(1)), int(version.group(1))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)

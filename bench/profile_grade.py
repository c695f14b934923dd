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
import pstats
import statistics
import sys
import time

from bench import grade_harness


def main(cards: int = 60) -> None:
    grade_harness.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench import wire

    with grade_harness.learner_with_due_cards("profile", cards) as (learner, _):
        client = Client()
        client.force_login(learner)
        page = client.get(reverse("cards:review")).text
        grade_head = grade_harness.grader(client)
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


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)

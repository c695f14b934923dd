"""Browse and search the bank at 10,000 questions: p50/p95 per scenario.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gp_NAME_bench \\
        .venv/bin/python -m bench.browse [--questions 10000] [--requests 200]

Builds (or reuses) a bank of --questions questions whose text is the seed's
and the packs' (cycled, so words are as frequent as in the real bank), spread
over the topics and levels, and one learner with 3,000 started cards, then
GETs /questions/ in-process through the whole Django stack (middleware,
session, templates) and prints the time and the queries per scenario. The
target (issue 16) is p95 < 100 ms and at most 6 queries on PostgreSQL. Uses
the database it is given: point it at a database of its own.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

import django

SCENARIOS = {
    "page 1": {},
    "page 100": {"page": "100"},
    "topic + level": {"topic": "rag", "level": "2"},
    "text search": {"q": "speculative decoding"},
    "text, a common word": {"q": "model"},
    "text + topic": {"q": "cache", "topic": "inference"},
    "my state: mature": {"state": "mature"},
    "sort: lowest ease": {"sort": "ease"},
    "sort: most lapses, topic": {"sort": "lapses", "topic": "agents"},
}


def build(questions: int, seed: int = 16) -> object:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from cards.bank import formats, services
    from cards.models import Question, ReviewSchedule, Topic
    from tests.factories import sm2_fields

    fixtures = settings.FIXTURE_DIRS[0]
    texts = [
        (q.prompt, q.answer)
        for path in [
            fixtures / "seed_keypoints.md",
            *sorted((fixtures / "packs").glob("*.md")),
        ]
        if path.stem != "REVIEW"
        for q in formats.parse_markdown(path.read_text("utf-8")).questions
    ]

    call_command("migrate", verbosity=0)
    services.ensure_topics()
    user_model = get_user_model()
    learner = user_model.objects.filter(username="bench-browser").first()
    if Question.objects.count() >= questions and learner:
        return learner
    rng = random.Random(seed)
    ReviewSchedule.objects.all().delete()
    Question.objects.all().delete()
    made = Question.objects.bulk_create(
        Question(
            key=f"bench-{i:05d}",
            level=1 + i % 3,
            position=i,
            stage=1,
            prompt=f"{texts[i % len(texts)][0]} (copy {i})",
            answer=texts[i % len(texts)][1],
        )
        for i in range(questions)
    )
    topics = list(Topic.objects.all())
    links = Question.topics.through
    links.objects.bulk_create(
        links(question_id=q.pk, topic_id=t.pk)
        for q in made
        for t in rng.sample(topics, rng.choice((1, 1, 2)))
    )
    user_model.objects.filter(username="bench-browser").delete()
    learner = user_model.objects.create_user("bench-browser", password="x")
    ReviewSchedule.objects.bulk_create(
        ReviewSchedule(
            user=learner,
            question=q,
            due_on="2026-06-01",
            lapses=rng.choice((0, 0, 0, 1, 2, 5)),
            **sm2_fields(
                rng.choice((1, 3, 6)),
                rng.choice((1, 5, 30, 90)),
                str(rng.choice(("1.30", "1.90", "2.50", "2.80"))),
            ),
        )
        for q in rng.sample(made, min(3_000, len(made)))
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return learner


def measure(learner: object, requests: int) -> list[tuple[str, float, float, int, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    client.force_login(learner)
    out = []
    for name, params in SCENARIOS.items():
        client.get("/questions/", params)  # warm
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get("/questions/", params)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get("/questions/", params)
        p95 = statistics.quantiles(times, n=20)[18]
        rows = response.text.count('class="browse-prompt"')
        out.append((name, statistics.median(times), p95, len(queries), rows))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.browse")
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_prep.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    django.setup()
    import logging

    from django.db import connection

    logging.disable(logging.INFO)  # the access log of every request

    learner = build(args.questions)
    print(
        f"browse /questions/ on {connection.vendor}, {args.questions:,} questions, "
        f"{args.requests} requests per scenario (in-process, whole Django stack)"
    )
    print(f"{'scenario':28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'rows':>5}")
    for name, p50, p95, queries, rows in measure(learner, args.requests):
        print(f"{name:28} {p50:8.1f} {p95:8.1f} {queries:8d} {rows:5d}")


if __name__ == "__main__":
    sys.exit(main())

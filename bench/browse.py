"""Browse and search the bank at 10,000 questions: p50/p95 per scenario.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gp_NAME_bench \\
        .venv/bin/python -m bench.browse [--questions 10000] [--requests 200]

Builds (or reuses) a bank of --questions questions (and the demo's 300 placeholders in their
opt-in topic, as `seed_demo` leaves them) whose text is the seed's
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
    "text, lowest ease": {"q": "model", "sort": "ease"},
    "text, page 20": {"q": "model", "page": "20"},
    "page 200 (the last)": {"page": "200"},
}


def build(questions: int, seed: int = 16) -> object:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from cards.bank import formats, services
    from cards.learner import demo
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
    # The demo's 300 placeholders, in their opt-in topic, as `seed_demo`
    # leaves them: every browse then filters them out of the learner's bank.
    demo.ensure_questions(300)
    if Question.objects.filter(key__startswith="bench-").count() >= questions and (
        learner
    ):
        return learner
    rng = random.Random(seed)
    ReviewSchedule.objects.all().delete()
    Question.objects.filter(key__startswith="bench-").delete()
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
    topics = list(Topic.objects.filter(is_opt_in=False))  # not the demo's
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


def _backend_cpu() -> object:
    """A function returning the CPU milliseconds the PostgreSQL backend
    serving this connection has used so far (the kernel's nanosecond count in
    /proc/PID/schedstat; the server runs on this machine). On a loaded shared
    machine wall time mostly measures waiting for a core; CPU time does not."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        path = f"/proc/{cursor.fetchone()[0]}/schedstat"

    def read() -> float:
        try:
            with open(path) as f:
                return int(f.read().split()[0]) / 1e6
        except OSError:  # a server on another machine
            return 0.0

    return read


def measure(learner: object, requests: int) -> dict[str, dict]:
    """Round-robin over the scenarios (one request each per round), so a
    burst of load on a shared machine spreads over all of them: wall time
    and CPU time per request: this process's (the Django side) and the
    PostgreSQL backend's."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    client.force_login(learner)
    out = {name: {"wall": [], "cpu": [], "db": []} for name in SCENARIOS}
    backend = _backend_cpu()
    for name, params in SCENARIOS.items():
        client.get("/questions/", params)  # warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/questions/", params)
        out[name]["queries"] = len(queries)
        out[name]["rows"] = response.text.count('class="browse-prompt"')
    for _ in range(requests):
        for name, params in SCENARIOS.items():
            db, cpu, start = backend(), time.process_time(), time.perf_counter()
            response = client.get("/questions/", params)
            out[name]["wall"].append((time.perf_counter() - start) * 1000)
            out[name]["cpu"].append((time.process_time() - cpu) * 1000)
            out[name]["db"].append(backend() - db)
            assert response.status_code == 200, (name, response.status_code)
    return out


def _p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=20)[q - 1] if len(values) > 1 else values[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.browse")
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--runs", type=int, default=1, help="repeat, for the spread")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_prep.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    django.setup()
    import logging

    from django.db import connection

    logging.disable(logging.INFO)  # the access log of every request

    learner = build(args.questions)
    runs = []
    for run in range(args.runs):
        load = os.getloadavg()[0]
        result = measure(learner, args.requests)
        runs.append(result)
        print(
            f"run {run + 1}: browse /questions/ on {connection.vendor}, "
            f"{args.questions:,} questions, {args.requests} requests per scenario "
            f"(in-process, whole Django stack), load average {load:.1f} before, "
            f"{os.getloadavg()[0]:.1f} after"
        )
        print(
            f"{'':28} {'wall, ms':>17} {'Django CPU':>17} {'DB CPU':>17} "
            f"{'CPU, both':>17}\n{'scenario':28}"
            + f" {'p50':>8} {'p95':>8}" * 4
            + f" {'queries':>8} {'rows':>5}"
        )
        for name, r in result.items():
            r["both"] = [a + b for a, b in zip(r["cpu"], r["db"], strict=True)]
            figures = "".join(
                f" {statistics.median(r[k]):8.1f} {_p(r[k], 19):8.1f}"
                for k in ("wall", "cpu", "db", "both")
            )
            print(f"{name:28}{figures} {r['queries']:8d} {r['rows']:5d}")
    if len(runs) > 1:
        print(f"spread over {len(runs)} runs (min-max of each run's figure)")
        print(
            f"{'scenario':28} {'wall p50':>13} {'wall p95':>13} "
            f"{'CPU p50':>13} {'CPU p95':>13}"
        )
        for name in SCENARIOS:

            def span(key: str, q: int | None, name: str = name) -> str:
                got = [
                    statistics.median(r[name][key])
                    if q is None
                    else _p(r[name][key], q)
                    for r in runs
                ]
                return f"{min(got):.1f}-{max(got):.1f}"

            print(
                f"{name:28} {span('wall', None):>13} {span('wall', 19):>13}"
                f" {span('both', None):>13} {span('both', 19):>13}"
            )


if __name__ == "__main__":
    sys.exit(main())

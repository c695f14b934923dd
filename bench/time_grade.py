"""CPU time of self-graded cards in process, without a profiler, PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db> \\
        .venv/bin/python -m bench.time_grade [cards] [--layers] [--json FILE]

The same flow as bench/profile_grade.py (one learner, the htmx grade of the
queue's head, form-encoded), timed with the process's CPU clock and the wall
clock per card. Prints the median and quartiles; `--json` appends the raw
per-card times (for an interleaved A/B of two checkouts: run this file from
each in turn). `--warm` renders every question's Markdown first, as a worker
that has shown them before (else each card pays for its texts). `--layers`
also prints each middleware's own CPU time per card (its time minus the layers
inside it) and the view's. Logging is silenced, as
in a server whose access log goes to a file. The learner is removed afterwards.
"""

from __future__ import annotations

import json
import logging
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlencode


def main(
    cards: int, *, layers: bool, json_path: str | None, warm: bool = False
) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_prep.settings")
    os.environ.setdefault("DJANGO_HTTPS", "0")  # as the benchmark's server
    import django

    django.setup()
    logging.disable(logging.INFO)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from tests.factories import make_question, make_schedule, make_user

    setup_test_environment()
    storages = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    override_settings(STORAGES=storages).enable()
    call_command("migrate", verbosity=0)
    learner = make_user(username=f"time-{os.getpid()}")
    today = learner.profile.study_day(timezone.now())
    tag = f"time {os.getpid()}"
    questions = [
        make_question(prompt=f"{tag} question {i}?", answer=f"Answer **{i}**.")
        for i in range(cards + 30)
    ]
    for question in questions[: cards + 10]:
        make_schedule(user=learner, question=question, due_on=today - timedelta(days=3))
    if warm:
        # As a worker that has shown these questions before: Markdown is cached
        # per text in the process (cards.markdown.render).
        from cards import markdown

        for question in questions:
            markdown.render(question.prompt)
            markdown.render(question.answer)
    client = Client()
    client.force_login(learner)
    own: dict[str, list[float]] = defaultdict(list)
    try:
        page = client.get(reverse("cards:review")).text

        def grade_head(text: str) -> str:
            qid, version = _head(text)
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
        if layers:
            spans = _instrument(client)
        cpu, wall = [], []
        for _ in range(cards - 5):
            connection.close_if_unusable_or_obsolete()  # as request_started
            if layers:
                spans.clear()
            start, start_wall = time.process_time(), time.perf_counter()
            page = grade_head(page)
            cpu.append(time.process_time() - start)
            wall.append(time.perf_counter() - start_wall)
            if layers:
                for name, inner in spans.items():
                    own[name].append(inner)
        print(f"{len(cpu)} cards: {_summary('CPU', cpu)}; {_summary('wall', wall)}")
        if layers:
            _print_layers(own)
        if json_path:
            with open(json_path, "a") as out:
                out.write(json.dumps({"cpu": cpu, "wall": wall}) + "\n")
    finally:
        learner.delete()
        for question in questions:
            question.delete()


def _summary(label: str, times: list[float]) -> str:
    q1, q2, q3 = statistics.quantiles(times, n=4)
    return f"{label} median {q2 * 1000:.2f} ms (IQR {q1 * 1000:.2f}-{q3 * 1000:.2f})"


def _instrument(client) -> dict[str, float]:
    """Wrap each middleware's inner call: a layer's own time is its total
    minus the total of the layer it calls (the last one calls the view)."""
    client.handler.load_middleware()
    totals: dict[str, float] = {}
    layer = client.handler._middleware_chain
    names = []
    while hasattr(layer, "__wrapped__"):
        instance = layer.__wrapped__
        inner = getattr(instance, "get_response", None)
        if inner is None:  # the view's handler: _get_response
            break
        name = type(instance).__name__
        names.append(name)

        def timed(request, _inner=inner, _name=name):
            start = time.process_time()
            try:
                return _inner(request)
            finally:
                totals[_name + ">"] = time.process_time() - start

        instance.get_response = timed
        layer = inner
    own: dict[str, float] = {}

    class Spans(dict):
        def items(self):
            # Resolve totals into own times once the request is over.
            own.clear()
            for outer, inner in zip(names, names[1:], strict=False):
                own[outer] = totals.get(outer + ">", 0) - totals.get(inner + ">", 0)
            own["view and URL resolving"] = totals.get(names[-1] + ">", 0)
            return own.items()

        def clear(self):
            totals.clear()

    return Spans()


def _print_layers(own: dict[str, list[float]]) -> None:
    """Median own CPU time per layer (the first layer's own time excludes the
    test client's work around it)."""
    for name, values in own.items():
        print(f"  {statistics.median(values) * 1000:6.3f} ms  {name}")


def _head(page: str) -> tuple[int, int]:
    url = re.search(r"/review/(\d+)/grade/", page)
    version = re.search(r'name="version" value="(\d+)"', page)
    if not url or not version:
        raise SystemExit("no card to grade on the page")
    return int(url.group(1)), int(version.group(1))


if __name__ == "__main__":
    args = sys.argv[1:]
    json_path = None
    if "--json" in args:
        i = args.index("--json")
        json_path = args[i + 1]
        del args[i : i + 2]
    layers, warm = "--layers" in args, "--warm" in args
    args = [a for a in args if a not in ("--layers", "--warm")]
    main(int(args[0]) if args else 60, layers=layers, json_path=json_path, warm=warm)

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
import statistics
import sys
import time
from collections import defaultdict

from bench import grade_harness


def main(
    cards: int, *, layers: bool, json_path: str | None, warm: bool = False
) -> None:
    grade_harness.setup()
    logging.disable(logging.INFO)
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    with grade_harness.learner_with_due_cards("time", cards, answer=True) as (
        learner,
        questions,
    ):
        if warm:
            # As a worker that has shown these questions before: Markdown is
            # cached per text in the process (cards.markdown.render).
            from cards import markdown

            for question in questions:
                markdown.render(question.prompt)
                markdown.render(question.answer)
        client = Client()
        client.force_login(learner)
        own: dict[str, list[float]] = defaultdict(list)
        page = client.get(reverse("cards:review")).text
        grade_head = grade_harness.grader(client)
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

"""A card's CPU in process beside the one-query floor's, measured the same way.

    DJANGO_BENCH=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench_data db> \\
        nice .venv/bin/python -m bench.card_cpu [--reps 6] [--cards 40] \\
        [--floor 200] [--learners 40] [--heavy] [--profile] [--json FILE]

Load on a shared machine stretches wall-clock figures; a process's own CPU
clock (time.process_time) much less, and the min of several repetitions
least. Each repetition times `--floor` requests to /bench/floor/query/ and
`--cards` self-graded cards (the htmx grade POST that returns the next card,
the back hidden in it), one after the other in this process, through the WSGI
application as gunicorn calls it (every middleware; no test client, no
template instrumentation). The learners are the data generator's (`manage.py
bench_data`, any scale), unused ones, taken in turn as the benchmark's pool
does, each review page loaded untimed first; grades are drawn as the
benchmark draws them (bench/kinds.choose_grade). The first repetition is a
warm-up (statements prepared, templates compiled, questions' Markdown) and not
counted; then gc.freeze(), as gunicorn_conf does. Prints, per repetition, the
mean CPU per card and per floor request and their ratio; then min and median.
Questions' Markdown is rendered first (`--cold`: not), as a worker that has
shown them before. `--callgrind` counts instructions instead (valgrind, one run for the cards
and one for the floor, about 50 times slower; load does not move them).
`--heavy` grades the heavy learner's cards too (`bench-heavy`, the generator's
year of 62,532 reviews at S), one after each normal card as the benchmark's
paired phase does, and prints heavy / normal (CPU, and wall: wall holds the
waits for PostgreSQL, which callgrind does not count); with `--callgrind` a
third run counts the heavy learner's cards alone.
`--profile` profiles the last repetition's cards (cProfile; `--heavy`: the
heavy learner's) and prints the top functions. The learners used are graded for real: regenerate when
bench_data's fresh learners run out. Logging is off (the access line's write
is not the view's). Not imported by tests.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import logging
import operator
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

FLOOR = "/bench/floor/query/"
HEAVY = "bench-heavy"  # bench.simulate.HEAVY_USERNAME (no Django import here)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_prep.settings")
    os.environ["DJANGO_BENCH"] = "1"
    os.environ.setdefault("DJANGO_HTTPS", "0")
    os.environ.pop("DJANGO_DEBUG", None)
    os.environ.setdefault(
        "DJANGO_SESSION_CACHE_DIR", tempfile.mkdtemp(prefix="card-cpu-sessions-")
    )
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # Plain static storage: no collectstatic manifest needed (a dict lookup
    # more or less per {% static %}).
    storages = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    override_settings(STORAGES=storages).enable()


class Browser:
    """One learner's cookies and CSRF token, sending requests to the WSGI app."""

    def __init__(self, app, cookies: dict[str, str]) -> None:
        self.app = app
        self.cookies = cookies
        self.url = "http://127.0.0.1/review/"
        self.marked = False  # callgrind counts only inside operator.call

    def timed(self, *args, **kwargs):
        if self.marked:
            return operator.call(self.send, *args, **kwargs)
        return self.send(*args, **kwargs)

    def send(self, method: str, url: str, data: dict | None = None, htmx=False):
        path, _, query = url.partition("?")
        body = urlencode(data or {}, doseq=True).encode() if method == "POST" else b""
        if method == "GET" and data:
            query = urlencode(data, doseq=True)
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT_ENCODING": "gzip, deflate",
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if method == "POST":
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["HTTP_X_CSRFTOKEN"] = self.cookies.get("csrftoken", "")
            environ["HTTP_REFERER"] = self.url
        if htmx:
            environ["HTTP_HX_REQUEST"] = "true"
            environ["HTTP_HX_CURRENT_URL"] = self.url
            environ["HTTP_HX_TARGET"] = "card"
        status_headers = []

        def start_response(status, headers, exc_info=None):
            status_headers[:] = [status, headers]

        result = self.app(environ, start_response)
        try:
            raw = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = status_headers
        for name, value in headers:
            if name.lower() == "set-cookie":
                for key, morsel in SimpleCookie(value).items():
                    self.cookies[key] = morsel.value
        return int(status.split()[0]), dict(headers), raw


def _text(headers: dict, raw: bytes) -> str:
    if headers.get("Content-Encoding") == "gzip":
        import gzip

        raw = gzip.decompress(raw)
    return raw.decode()


class Learner:
    def __init__(self, browser: Browser, rng: random.Random) -> None:
        self.browser, self.rng = browser, rng
        self.grades: list = []
        self.done = False

    def open(self) -> None:
        status, headers, raw = self.browser.send("GET", "/review/")
        assert status == 200, status
        self._adopt(_text(headers, raw))

    def _adopt(self, text: str) -> None:
        from bench import html
        from bench.kinds import classify

        page = html.parse(text, url=self.browser.url)
        self.grades = [a for a in page.actions if classify(a, {}) == "grade"]
        self.done = not self.grades

    def card(self, profile: cProfile.Profile | None = None) -> float | None:
        """Grade the card shown; the CPU seconds of that one request (its
        wall seconds in `self.wall`)."""
        from bench.kinds import choose_grade

        if self.done:
            return None
        action = choose_grade(self.grades, self.rng)
        url = urlsplit(action.url).path
        if profile:
            profile.enable()
        start, wall = time.process_time(), time.perf_counter()
        status, headers, raw = self.browser.timed("POST", url, action.fields, htmx=True)
        spent = time.process_time() - start
        self.wall = time.perf_counter() - wall
        if profile:
            profile.disable()
        if status != 200:
            self.open()  # a 409 and the like: start again from the page
            return spent
        self._adopt(_text(headers, raw))
        return spent


def login(app, username: str) -> Browser:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return Browser(app, {k: m.value for k, m in client.cookies.items()})


def warm_markdown(names: list[str], heavy: bool = False) -> None:
    """Render the Markdown of every question these learners have started, and
    the bank's first new ones, as a worker that has been up a while has (it
    is cached per text: else each card pays for its texts when first seen);
    for the heavy learner, the cards due within a week (not its 3,650)."""
    from django.utils import timezone

    from cards import markdown
    from cards.models import Question

    started = Question.objects.filter(schedules__user__username__in=names).values_list(
        "prompt", "answer"
    )
    first = Question.objects.order_by("pk").values_list("prompt", "answer")[:400]
    soon = Question.objects.none()
    if heavy:
        soon = Question.objects.filter(
            schedules__user__username=HEAVY,
            schedules__due_on__lte=timezone.now() + timedelta(days=7),
        ).values_list("prompt", "answer")
    for prompt, answer in {*started, *first, *soon}:
        markdown.render(prompt)
        markdown.render(answer)


def run(args) -> dict:
    setup()
    logging.disable(logging.CRITICAL)
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from bench import datagen
    from cards.models import Question

    app = get_wsgi_application()
    names = datagen.fresh_learners(args.learners)
    if len(names) < args.learners:
        raise SystemExit(f"only {len(names)} fresh learners: regenerate bench_data")
    rng = random.Random(args.seed)
    learners = [Learner(login(app, name), rng) for name in names]
    # Its own grades' generator: the normal learners' cards are drawn as without it.
    heavy = Learner(login(app, HEAVY), random.Random(f"{args.seed}:heavy"))
    if not args.cold:
        warm_markdown(names, heavy=args.heavy)
    for learner in learners:
        learner.open()
    if args.heavy:
        heavy.open()
    floor = Browser(app, dict(learners[0].browser.cookies))
    bank = Question.objects.count()
    # Under callgrind, only what the run counts is sent: the normal learners'
    # cards and the floor (as without --heavy), or the heavy learner's cards.
    send_normal = args.marker != "heavy"
    send_heavy = args.heavy and args.marker in (None, "heavy")
    reps, turn, profile = [], 0, None
    for rep in range(args.reps + 1):
        if rep == 1:
            gc.collect()
            gc.freeze()  # as genai_prep.gunicorn_conf.post_worker_init
            floor.marked = args.marker == "floor"
            for learner in learners:
                learner.browser.marked = args.marker == "cards"
            heavy.browser.marked = args.marker == "heavy"
        floor_cpu = []
        for i in range(args.floor if send_normal else 0):
            connection.close_if_unusable_or_obsolete()  # as request_started
            start = time.process_time()
            status, _, _ = floor.timed("GET", f"{FLOOR}?id={(i * 7) % bank + 1}")
            floor_cpu.append(time.process_time() - start)
            assert status == 200, status
        if args.profile and rep == args.reps:
            # CPU, not wall: waiting for PostgreSQL is not this process's cost.
            profile = cProfile.Profile(time.process_time)
        card_cpu, card_wall, heavy_cpu, heavy_wall = [], [], [], []
        while len(card_cpu) < args.cards and len(heavy_cpu) < args.cards:
            if send_normal:
                live = [x for x in learners if not x.done]
                if not live:
                    raise SystemExit("the learners' queues ran out: more --learners")
                learner = live[turn % len(live)]
                turn += 1
                connection.close_if_unusable_or_obsolete()
                spent = learner.card(None if args.heavy else profile)
                if spent is not None:
                    card_cpu.append(spent)
                    card_wall.append(learner.wall)
            if send_heavy:
                if heavy.done:
                    raise SystemExit("the heavy learner's queue ran out: regenerate")
                connection.close_if_unusable_or_obsolete()
                spent = heavy.card(profile)
                if spent is not None:
                    heavy_cpu.append(spent)
                    heavy_wall.append(heavy.wall)
        figures = {}
        for key, values in (
            ("card", card_cpu),
            ("card_wall", card_wall),
            ("heavy", heavy_cpu),
            ("heavy_wall", heavy_wall),
            ("floor", floor_cpu),
        ):
            if values:
                figures[f"{key}_ms"] = statistics.fmean(values) * 1000
                figures[f"{key}_median_ms"] = statistics.median(values) * 1000
        if floor_cpu:
            figures["ratio"] = figures["card_ms"] / figures["floor_ms"]
        if heavy_cpu and card_cpu:
            figures["heavy_ratio"] = figures["heavy_ms"] / figures["card_ms"]
            figures["heavy_wall_ratio"] = (
                figures["heavy_wall_median_ms"] / figures["card_wall_median_ms"]
            )
        label = "warm-up" if rep == 0 else f"rep {rep}"
        print(f"{label:8} " + _line(figures) + (" [profiled]" if profile else ""))
        if rep and not profile:
            reps.append(figures)
    summary = {
        key: {
            "min": min(r[key] for r in reps),
            "median": statistics.median(r[key] for r in reps),
            "max": max(r[key] for r in reps),
        }
        for key in (
            "card_ms",
            "floor_ms",
            "ratio",
            "heavy_ms",
            "heavy_ratio",
            "card_wall_median_ms",
            "heavy_wall_median_ms",
            "heavy_wall_ratio",
        )
        if reps and key in reps[0]
    }
    print(
        f"scale {datagen.meta()['scale']}, {len(reps)} reps x {args.cards} cards, "
        f"{args.floor} floor requests; load average {os.getloadavg()[0]:.1f}"
    )
    for key, s in summary.items():
        print(
            f"  {key:20} min {s['min']:.3f}  median {s['median']:.3f}  "
            f"max {s['max']:.3f}"
        )
    if profile:
        out = io.StringIO()
        profile.dump_stats(
            os.path.join(tempfile.gettempdir(), "card_cpu.prof")
        )  # for pstats or snakeviz
        stats = pstats.Stats(profile, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        print(out.getvalue())
    return {"reps": reps, "summary": summary}


def _line(f: dict) -> str:
    parts = []
    if "card_ms" in f:
        parts.append(
            f"card {f['card_ms']:.3f} ms (median {f['card_median_ms']:.3f}, "
            f"wall {f['card_wall_median_ms']:.3f})"
        )
    if "heavy_ms" in f:
        parts.append(
            f"heavy {f['heavy_ms']:.3f} ms (median {f['heavy_median_ms']:.3f}, "
            f"wall {f['heavy_wall_median_ms']:.3f})"
        )
    if "floor_ms" in f:
        parts.append(
            f"floor {f['floor_ms']:.3f} ms (median {f['floor_median_ms']:.3f})"
        )
    if "ratio" in f:
        parts.append(f"card / floor {f['ratio']:.2f}")
    if "heavy_ratio" in f:
        parts.append(
            f"heavy / card {f['heavy_ratio']:.2f} (wall {f['heavy_wall_ratio']:.2f})"
        )
    return ", ".join(parts)


def callgrind(args) -> None:
    """Instructions per card and per floor request (valgrind's callgrind,
    repeatable under load): one run each, collecting only inside the counted
    repetitions' requests (sent through operator.call, the toggle)."""
    counts = {}
    runs = [("cards", args.cards), ("floor", args.floor)]
    if args.heavy:
        runs.append(("heavy", args.cards))
    for marker, n in runs:
        out = os.path.join(
            tempfile.gettempdir(), f"card_cpu.{marker}.{os.getpid()}.callgrind"
        )
        command = [
            "valgrind", "--tool=callgrind", "--collect-atstart=no",
            "--toggle-collect=_operator_call*", f"--callgrind-out-file={out}",
            sys.executable, "-m", "bench.card_cpu", "--marker", marker,
            *(a for a in sys.argv[1:] if a != "--callgrind"),
        ]  # fmt: skip
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            total = next(
                int(line.split()[1]) for line in f if line.startswith("totals:")
            )
        counts[marker] = total / (n * args.reps)
        print(f"{marker}: {counts[marker] / 1e6:.3f} M instructions each")
    print(f"card / floor (instructions): {counts['cards'] / counts['floor']:.3f}")
    if args.heavy:
        print(f"heavy / card (instructions): {counts['heavy'] / counts['cards']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=6)
    parser.add_argument("--cards", type=int, default=40)
    parser.add_argument("--floor", type=int, default=200)
    parser.add_argument("--learners", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--cold", action="store_true", help="no Markdown warm-up")
    parser.add_argument("--json")
    parser.add_argument("--heavy", action="store_true", help="the heavy learner too")
    parser.add_argument("--callgrind", action="store_true")
    parser.add_argument(
        "--marker", choices=["cards", "floor", "heavy"], help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.callgrind:
        return callgrind(args)
    result = run(args)
    if args.json:
        with open(args.json, "a") as out:
            out.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()

"""Sampled profiles of the gunicorn workers and of this client at saturation.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> \\
        .venv/bin/python -m bench.sample_profile [--scale S] [--seconds 20]

Needs py-spy on PATH or in the virtualenv (`pip install py-spy`; a developer
tool, not a dependency of the app or of `make bench`) and bench data of the
scale (`make bench` leaves it). Starts gunicorn as `make bench` does, logs in
8 sessions (40 accounts each), warms the workers, then runs the one-query
floor and the self-graded cards closed-loop in turn, each for `--seconds`,
with py-spy sampling every worker (`--subprocesses`) and, separately, this
process. Writes the collapsed stacks under bench-results/ and prints, for
each phase, where the workers' and the client's samples fall (by layer) and
the leading frames, per item, in milliseconds of sampled CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import server

RESULTS = server.BASE_DIR / "bench-results"
RATE = 250  # samples a second

# Where a worker's sample falls: under the view (below Django's
# _get_response), in a middleware (the innermost middleware frame names it),
# in Django's WSGI handler around them, or in gunicorn's own code (reading and
# parsing the request, writing the response, closing the socket).
MIDDLEWARE_FILES = (
    ("access log", ("cards/ops/logs.py", "(logging/", "logging/__init__")),
    ("metrics", ("cards/ops/metrics.py", "(prometheus_client/")),
    ("bench query counter", ("bench/middleware.py",)),
    ("sessions (file cache)", ("django/contrib/sessions/", "django/core/cache/")),
    ("cached user", ("cards/web/auth.py", "django/contrib/auth/")),
    ("CSRF", ("django/middleware/csrf.py",)),
    ("CSP", ("django/middleware/csp.py", "django/utils/csp.py")),
    ("gzip", ("gzip.py", "django/utils/text.py")),
    (
        "other middleware",
        (
            "django/middleware/",
            "cards/web/",
            "whitenoise/",
            "axes/",
            "django_htmx/",
            "django/contrib/messages/",
        ),
    ),
)
CLIENT_FILES = (
    ("client: HTML scan", ("bench/html.py",)),
    ("client: action kinds", ("bench/kinds.py", "django/urls/")),
    ("client: aiohttp", ("aiohttp/", "yarl/", "multidict/", "http/cookies")),
    ("client: asyncio and sockets", ("asyncio/", "selectors.py", "socket.py")),
    ("client: harness", ("bench/",)),
)


def _innermost(frames: list[str], table) -> str | None:
    for frame in reversed(frames):
        for name, needles in table:
            if any(n in frame for n in needles):
                return name
    return None


def layer_of(frames: list[str]) -> str:
    view = next(
        (i for i, f in enumerate(frames) if "_get_response (django/core/" in f),
        None,
    )
    if view is not None:
        inner = frames[view + 1 :]
        if any("(psycopg/" in f for f in inner):
            return "view: SQL (psycopg)"
        if any("render (django/template/" in f for f in inner):
            return "view: template render"
        if any("(django/urls/" in f for f in inner[:3]):
            return "URL resolving"
        return "view: Python"
    if any("wsgi.py" in f and "(django/" in f for f in frames):
        if any("(psycopg/" in f for f in frames):
            return "middleware: SQL (psycopg)"
        name = _innermost(frames, MIDDLEWARE_FILES)
        return f"middleware: {name}" if name else "Django handler (WSGI, response)"
    if any("(gunicorn/" in f for f in frames):
        if any("close" in f for f in frames[-3:]):
            return "gunicorn: closing the socket"
        if any("(gunicorn/http/" in f for f in frames):
            return "gunicorn: reading and parsing the request"
        return "gunicorn: other (accept, write, loop)"
    return _innermost(frames, CLIENT_FILES) or "other"


def _py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(found).exists():
        raise SystemExit("py-spy not found: pip install py-spy")
    return found


def _record(pid: int, seconds: float, out: Path, *, children: bool):
    args = [_py_spy(), "record", "--pid", str(pid), "--rate", str(RATE)]
    # --gil: only samples of a thread holding the GIL, so that waits (for
    # PostgreSQL, for the client to close, in epoll) do not count as work; a
    # thread the kernel preempted while holding it still counts.
    args += ["--duration", str(int(seconds)), "--format", "raw", "--gil"]
    args += ["--output", str(out), *(["--subprocesses"] if children else [])]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _stacks(path: Path) -> list[tuple[list[str], int]]:
    stacks = []
    for line in path.read_text().splitlines():
        head, _, count = line.rpartition(" ")
        if head and count.isdigit():
            stacks.append((head.split(";"), int(count)))
    return stacks


def summary(path: Path, items: int, *, top: int = 12) -> list[str]:
    """Sampled ms per item by layer, and the frames with the most own samples."""
    stacks = _stacks(path)
    total = sum(c for _, c in stacks) or 1
    per_item = 1000 / RATE / max(items, 1)
    layers: Counter = Counter()
    own: Counter = Counter()
    for frames, count in stacks:
        layers[layer_of(frames)] += count
        own[frames[-1]] += count
    lines = [f"{total} samples, {total * per_item:.2f} ms sampled per item"]
    lines += [
        f"  {c * per_item:6.3f} ms {100 * c / total:5.1f}%  {name}"
        for name, c in layers.most_common()
    ]
    lines.append("  leading frames (own samples):")
    lines += [
        f"  {c * per_item:6.3f} ms {100 * c / total:5.1f}%  {name[:110]}"
        for name, c in own.most_common(top)
    ]
    return lines


async def _phases(base_url: str, seconds: float, stamp: str) -> None:
    from django.contrib.auth import get_user_model

    from bench import client, datagen, rounds
    from cards.models import Question

    bank = await asyncio.to_thread(Question.objects.count)
    names = await asyncio.to_thread(
        lambda: list(
            get_user_model()
            .objects.filter(username__startswith="bench-u")
            .order_by("?")
            .values_list("username", flat=True)[:320]
        )
    )
    rec = client.Recorder()
    sessions = [client.Session(base_url, rec) for _ in names]
    gate = asyncio.Semaphore(2)

    async def login(s, n):
        async with gate:
            await s.login(n, datagen.PASSWORD)

    await asyncio.gather(*(login(s, n) for s, n in zip(sessions, names, strict=True)))
    seen: dict = {}
    pool = rounds.Pool(
        [rounds.Walker(s, random.Random(k), seen) for k, s in enumerate(sessions)]
    )
    floor = sessions[:8]
    await rounds._floor_saturated(floor, 3, bank)  # warm
    await rounds._cards_saturated(pool, 8, 5)
    master = int(os.environ["BENCH_GUNICORN_PID"])
    for phase in ("floor", "card"):
        workers = RESULTS / f"{stamp}-{phase}-workers.txt"
        me = RESULTS / f"{stamp}-{phase}-client.txt"
        spies = [
            _record(master, seconds, workers, children=True),
            _record(os.getpid(), seconds, me, children=False),
        ]
        await asyncio.sleep(0.5)
        if phase == "floor":
            rate, split = await rounds._floor_saturated(floor, seconds - 1, bank)
            items = int(rate * (seconds - 1))
            done = f"{rate:.1f} req/s"
        else:
            sat = await rounds._cards_saturated(pool, 8, seconds - 1)
            items, split = sat["cards"], sat["cpu_ms_per_card"]
            done = f"{sat['cards_per_second']} cards/s"
        for spy in spies:
            spy.wait()
        load = os.getloadavg()
        print(f"\n== {phase}: {done}, {items} items, load {load[0]:.2f}")
        from bench import cpu

        print(f"  /proc split per item: {cpu.line(split)}")
        print("  gunicorn workers:", *summary(workers, items), sep="\n    ")
        print("  client:", *summary(me, items), sep="\n    ")
    for s in sessions:
        await s.close()


def main(argv: list[str]) -> None:
    if argv[:1] == ["--summary"]:  # --summary FILE ITEMS: a saved profile again
        print(*summary(Path(argv[1]), int(argv[2])), sep="\n")
        return
    p = argparse.ArgumentParser()
    p.add_argument("--scale", default="S")
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    p.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL"))
    args = p.parse_args(argv)
    url = server.scale_url(args.db, args.scale)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    with (
        tempfile.TemporaryDirectory(prefix="bench-static-") as static_root,
        tempfile.TemporaryDirectory(prefix="bench-sessions-") as sessions,
    ):
        os.environ["DJANGO_SESSION_CACHE_DIR"] = sessions
        env = server.environment(url, static_root, server.new_secret())
        server.manage(env, "collectstatic", "--no-input", "-v0")
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "genai_prep.settings"
        import django

        django.setup()
        log = RESULTS / f"{stamp}-profile-gunicorn.log"
        gunicorn = server.Gunicorn(env, workers=args.workers, log=log)
        with gunicorn as base_url:
            os.environ["BENCH_GUNICORN_PID"] = str(gunicorn.process.pid)
            asyncio.run(_phases(base_url, args.seconds, stamp))


if __name__ == "__main__":
    main(sys.argv[1:])

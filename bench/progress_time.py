"""In-process, single-thread server time of /progress/ (no gunicorn, no network).

    python -m bench.progress_time --db postgres://...?options=-c%20search_path%3Dbench_s

Runs the Django test client against a database that `manage.py bench_data`
filled (the heavy learner and the first normal one), DEBUG off as in
production, and times each (learner, days) view `--repeat` times, interleaved
round by round so a burst of load from elsewhere hits every view alike.
Prints p50/p95 wall and CPU (this process only; PostgreSQL's share is in the
wall time) and the SQL statements per request. `--profile` writes a cProfile
of the heavy learner's 365-day view and prints its top functions. `--cold`
empties the cache before every request (untimed), so each one renders the
history sections afresh (cards/progress/fragments.py) as after a grade.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.progress_time")
    p.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL"))
    p.add_argument("--repeat", type=int, default=30)
    p.add_argument("--days", default="30,90,365")
    p.add_argument("--profile", metavar="FILE")
    p.add_argument("--cold", action="store_true", help="no cached sections")
    args = p.parse_args(argv)
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_prep.settings")
    os.environ.pop("DJANGO_DEBUG", None)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_HTTPS"] = "0"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from bench.simulate import HEAVY_USERNAME, TENTH_USERNAME
    from cards.progress import fragments

    def forget() -> None:
        if args.cold:
            caches[fragments.CACHE_ALIAS].clear()

    users = get_user_model().objects
    learners = {
        "heavy": users.get(username=HEAVY_USERNAME),
        "normal": users.filter(username__startswith="bench-u").order_by("pk").first(),
    }
    tenth = users.filter(username=TENTH_USERNAME).first()
    if tenth is not None:  # data generated before the tenth learner existed
        learners["tenth"] = tenth
    clients = {}
    for name, user in learners.items():
        clients[name] = Client()
        clients[name].force_login(user)
    views = [(n, int(d)) for n in learners for d in args.days.split(",")]
    plain = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    wall: dict = {v: [] for v in views}
    cpu: dict = {v: [] for v in views}
    queries: dict = {}
    size: dict = {}

    def get(view):
        name, days = view
        return clients[name].get(f"/progress/?days={days}")

    with override_settings(STORAGES=plain):
        for view in views:  # warm: templates compiled, connections open
            for _ in range(2):
                assert get(view).status_code == 200
            sent: list[str] = []

            def counted(execute, sql, params, many, context, sent=sent):
                sent.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(counted):
                size[view] = len(get(view).content)
            queries[view] = len(sent)
        for _ in range(args.repeat):
            for view in views:
                forget()
                w0, c0 = time.perf_counter(), time.process_time()
                get(view)
                wall[view].append((time.perf_counter() - w0) * 1000)
                cpu[view].append((time.process_time() - c0) * 1000)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(10):
                forget()
                get(("heavy", 365))
            profiler.disable()
            profiler.dump_stats(args.profile)
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(35)
    reviews = {name: user.review_logs.count() for name, user in learners.items()}
    print(
        f"{'view':<14} {'reviews':>8} {'wall p50':>9} {'p95':>7} {'cpu p50':>8} "
        f"{'p95':>7} {'SQL':>4} {'bytes':>8}"
    )
    for view in views:
        name, days = view
        print(
            f"{name + ' ' + str(days) + 'd':<14} {reviews[name]:>8,} "
            f"{statistics.median(wall[view]):>9.1f} {_percentile(wall[view], 0.95):>7.1f} "
            f"{statistics.median(cpu[view]):>8.1f} {_percentile(cpu[view], 0.95):>7.1f} "
            f"{queries[view]:>4} {size[view]:>8,}"
        )
    h = statistics.median(wall[("heavy", 365)])
    for other in ("tenth", "normal"):
        if (other, 365) in wall:
            n = statistics.median(wall[(other, 365)])
            print(
                f"heavy / {other} 365 d, wall p50: {h / n:.2f}  (repeat "
                f"{args.repeat}, in-process, one thread"
                f"{', cold: no cached sections' if args.cold else ''})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

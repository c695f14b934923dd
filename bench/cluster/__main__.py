"""python -m bench.cluster: start the loopback cluster, run the invariants
through the balancer, print the figures, stop everything (bench/cluster/run.sh)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench.cluster import checks
from bench.cluster.stack import BALANCER, BOUNCER, SERVERS, Stack, port_free


def seed(stack: Stack) -> list[int]:
    """Learners and questions, written directly to PostgreSQL."""
    os.environ.update(stack.env | {"DATABASE_URL": stack.env["DATABASE_DIRECT_URL"]})
    os.environ["DJANGO_SETTINGS_MODULE"] = "genai_prep.settings"
    import django

    django.setup()
    from cards.learner import services
    from cards.models import Question

    names = ["replay", "locked"] + [f"busy{n}" for n in range(4)]
    names += ["race0", "race1"] + [f"load{n}" for n in range(3)]
    for name in names:
        services.sign_up(
            username=name, email=f"{name}@example.com", password=checks.PASSWORD
        )
    return [
        Question.objects.create(
            key=f"cluster-{n:03}", position=1000 + n,
            prompt=f"Cluster question {n}?", answer="An answer.",
        ).pk
        for n in range(60)
    ]  # fmt: skip


def main() -> int:
    busy = [p for p in (BALANCER, BOUNCER, *SERVERS.values()) if not port_free(p)]
    if busy:
        print(f"ports in use: {busy}; is another cluster-check running?")
        return 2
    run = Path(tempfile.mkdtemp(prefix="genai-prep-cluster-"))
    stack = Stack(run)
    figures: dict[str, str] = {}
    results: dict[str, bool] = {}
    started = time.monotonic()
    try:
        stack.create_database()
        stack.start_pgbouncer()
        # Migrations over the direct connection, never through the pooler, and
        # as the default alias: django-tasks-db's migration 0016 writes through
        # `default` whatever --database says, and through PgBouncer it waited
        # forever for the lock its own migrate held on the direct connection.
        direct = {"DATABASE_URL": stack.env["DATABASE_DIRECT_URL"]}
        stack.manage("migrate", "--no-input", "-v0", env=direct)
        stack.manage("collectstatic", "--no-input", "-v0")  # WhiteNoise serves them
        questions = seed(stack)
        for name in SERVERS:
            stack.start_server(name)
        stack.start_haproxy()
        print(f"cluster up in {time.monotonic() - started:.1f} s (logs in {run})")
        results["replay"] = checks.replay(questions, figures)
        results["concurrent"] = checks.concurrent(questions, figures)
        results["lockout"] = checks.lockout(figures)
        results["metrics"] = checks.metrics(figures)
        results["rolling restart"] = checks.rolling_restart(stack, figures)
    finally:
        stack.stop_all()
        stack.clear_redis()
        stack.drop_database()
    for name, ok in results.items():
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {figures.get(name, '')}")
        if name == "concurrent":
            print(f"{'ok  ' if ok else 'FAIL'} racing: {figures.get('racing', '')}")
    passed = len(results) == 5 and all(results.values())
    print(
        f"cluster-check {'passed' if passed else 'FAILED'} in {time.monotonic() - started:.0f} s"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

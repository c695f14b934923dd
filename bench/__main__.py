"""`python -m bench`: make bench and make soak, end to end.

Per scale: a schema of its own in the bench database, migrate, generate the
data (kept when generated within a day), collectstatic into a temporary
STATIC_ROOT, gunicorn with production settings on a free port of 127.0.0.1,
then `manage.py bench_run` against it. Prints a table, writes a JSON file under
bench-results/ and the figures section of docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import machine, pg, report, server, targets

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/genai_prep_bench"
RESULTS = server.BASE_DIR / "bench-results"
DOC = server.BASE_DIR / "docs" / "PERFORMANCE.md"


def _arguments(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--scales", default="S,L", help="comma-separated: XS, S, L")
    p.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    p.add_argument(
        "--postgres",
        choices=("machine", "production"),
        default="machine",
        help="machine: --db as it is; production: a cluster of the benchmark's "
        "own with docs/DEPLOY.md's settings (bench/pg.py), instead of --db",
    )
    p.add_argument("--learners", type=int, default=8, help="concurrent learners")
    p.add_argument("--accounts-per-learner", type=int, default=5)
    p.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn"
    )
    p.add_argument("--floor-seconds", type=float, default=5.0)
    p.add_argument("--card-seconds", type=float, default=10.0, help="per round")
    p.add_argument("--open-seconds", type=float, default=10.0)
    p.add_argument("--review-seconds", type=float, default=120.0, help="upper bound")
    p.add_argument("--progress-requests", type=int, default=30)
    p.add_argument("--soak", type=float, metavar="SECONDS", help="soak mode")
    p.add_argument("--regenerate", action="store_true", help="never reuse data")
    p.add_argument("--no-docs", action="store_true", help="leave PERFORMANCE.md")
    p.add_argument(
        "--no-warm-up",
        action="store_true",
        help="count the first round too (cold workers: statements not yet "
        "prepared, Markdown not yet rendered)",
    )
    return p.parse_args(argv)


def _scale(args, scale: str, static_root: str, secret: str, stamp: str) -> dict:
    url = server.scale_url(args.db, scale)
    server.ensure_schema(args.db, scale)
    env = server.environment(url, static_root, secret)
    server.manage(env, "migrate", "--no-input", "-v0")
    started = time.perf_counter()
    per = 2 if args.soak else args.accounts_per_learner
    data = ["bench_data", "--scale", scale, f"--need={args.learners * per + 1}"]
    server.manage(env, *data, *([] if args.regenerate else ["--reuse"]))
    prepare = time.perf_counter() - started
    if not any(Path(static_root).iterdir()):
        server.manage(env, "collectstatic", "--no-input", "-v0")
    out = RESULTS / f"{stamp}-{scale}.part.json"
    log = RESULTS / f"{stamp}-{scale}-gunicorn.log"
    run = ["bench_run", f"--out={out}", f"--learners={args.learners}"]
    run += [f"--accounts-per-learner={args.accounts_per_learner}"]
    run += [f"--floor-seconds={args.floor_seconds}"]
    run += [f"--review-seconds={args.review_seconds}"]
    run += [f"--progress-requests={args.progress_requests}"]
    run += [f"--card-seconds={args.card_seconds}"]
    run += [f"--open-seconds={args.open_seconds}"]
    if args.soak:
        run += [f"--soak={args.soak}"]
    if args.no_warm_up:
        run += ["--no-warm-up"]
    with server.Gunicorn(env, workers=args.workers, log=log) as base_url:
        print(f"== scale {scale}: gunicorn {args.workers} workers at {base_url}")
        server.manage(env, *run, f"--url={base_url}")
    result = json.loads(out.read_text())
    out.unlink()
    result["data"]["prepare_seconds"] = round(prepare, 1)
    return result


def main(argv: list[str]) -> int:
    args = _arguments(argv)
    if args.postgres == "production":
        with pg.Cluster() as url:
            args.db = url
            return _main(args, argv)
    return _main(args, argv)


def _main(args: argparse.Namespace, argv: list[str]) -> int:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(exist_ok=True)
    scales = [s.strip().upper() for s in args.scales.split(",") if s.strip()]
    command = " ".join(["python -m bench", shlex.join(argv)]).strip()
    results = {
        "command": command,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine.describe(args.db),
        "settings": {"learners": args.learners, "gunicorn_workers": args.workers},
        "scales": {},
    }
    secret = server.new_secret()
    with (
        tempfile.TemporaryDirectory(prefix="bench-static-") as static_root,
        tempfile.TemporaryDirectory(prefix="bench-sessions-") as sessions,
    ):
        # Sessions and signed-in users of this run only: user ids repeat when
        # the data is generated again.
        os.environ["DJANGO_SESSION_CACHE_DIR"] = sessions
        for scale in scales:
            results["scales"][scale] = _scale(args, scale, static_root, secret, stamp)
    kind = "soak" if args.soak else "bench"
    path = RESULTS / f"{stamp}-{kind}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    if args.soak:
        return _soak_report(results, path)
    header, body = report.rows(results)
    pg_settings = results["machine"].get("postgresql_settings") or {}
    print(
        f"\nPostgreSQL {results['machine']['postgresql']} ({args.postgres}): "
        + ", ".join(f"{k} {v}" for k, v in pg_settings.items())
    )
    print()
    print(report.text_table(header, body))
    print()
    for line in report.summary_lines(results):
        print(line)
    print("\nRounds:")
    for line in targets.round_lines(results):
        print(f"  {line}")
    print("\nTargets (issue 12; median of the rounds, spread min-max):")
    for name, target, value, verdict in targets.targets(results):
        print(f"  {name:66} {target:>8} {value:>28}  {verdict}")
    print("\nBudgets (issue 7):")
    for name, value, verdict in report.budgets(results):
        print(f"  {name:40} {value:>10}  {verdict}")
    print(f"\nJSON: {path.relative_to(server.BASE_DIR)}")
    if not args.no_docs:
        report.update_doc(DOC, results, header, body)
        print(f"Figures written to {DOC.relative_to(server.BASE_DIR)}")
    return 0


def _soak_report(results: dict, path: Path) -> int:
    failed = False
    for scale, r in results["scales"].items():
        grade = r["endpoints"].get("grade")
        i1 = r["i1"]
        errors = r["error_count"]
        print(
            f"\nSoak (scale {scale}, {r['learners']} learners for "
            f"{r['review']['seconds']} s, load average {r['load_before']} before):"
        )
        if r["review"]["missing"]:
            print(f"  endpoint missing: {r['review']['missing']}: nothing graded,")
            print("  I1 not exercised. Rerun after the review screen is merged.")
        else:
            lost = i1["accepted_grades"] - i1["new_review_logs"]
            print(
                f"  p95 grade latency {grade['p95_ms']} ms, {errors} errors, "
                f"{lost} lost of {i1['accepted_grades']} "
                f"(I1 {'holds' if i1['holds'] else 'VIOLATED'}: log rows "
                f"{i1['new_review_logs']}, schedule advances {i1['schedule_advances']})"
            )
            failed = not i1["holds"]
        failed = failed or errors > 0
    print(f"JSON: {path.relative_to(server.BASE_DIR)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Fixtures shared by every test: fast settings, users, clients, a browser."""

import os
import shutil
from pathlib import Path

import pytest
import time_machine
from hypothesis import settings as settings_profiles

from tests import clock as frozen
from tests.factories import make_user
from tests.paths import ROOT

# Sync Playwright runs an event loop in the test thread; Django must allow ORM
# calls from it (pytest-django's live_server runs in another thread anyway).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""


class Clock:
    """The frozen clock of one test: `now` is what `timezone.now()` returns."""

    def __init__(self, traveller: time_machine.Traveller) -> None:
        self._traveller = traveller

    @property
    def now(self):
        from datetime import UTC, datetime

        return datetime.fromtimestamp(self._traveller.time_ns() / 1e9, tz=UTC)

    def move_to(self, moment) -> None:
        """Pin the clock at `moment`: for tests written for one literal date,
        which the clock sweep's other moments must not move."""
        self._traveller.move_to(moment)

    def shift(self, **delta: float) -> None:
        """Move the clock forward (or back) by `timedelta(**delta)`."""
        from datetime import timedelta

        self._traveller.shift(timedelta(**delta))


@pytest.fixture(autouse=True)
def clock(request):
    """Every test runs at the frozen moment of tests/clock.py, never the wall clock.

    Browser tests freeze only the start: the server's clock then ticks, so that
    the browser's own timers and the server agree on elapsed time.
    """
    tick = request.node.get_closest_marker("browser") is not None
    with time_machine.travel(frozen.frozen_moment(), tick=tick) as traveller:
        yield Clock(traveller)


@pytest.fixture(scope="session")
def _data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("data")


@pytest.fixture(autouse=True)
def _test_settings(settings, _data_dir):
    settings.TIME_ZONE = frozen.ZONE
    # Files the app keeps (the Anki deck's cache) stay out of the checkout.
    settings.DATA_DIR = _data_dir
    # Hashed static storage needs collectstatic and 404s under live_server.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate-limit counters (cards/ops/ratelimit.py) live in the cache; the
    # frozen clock puts every test in the same window, so each starts empty.
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
    # Sessions and signed-in users (cards/web/auth.py): ids repeat across tests.
    caches["sessions"].clear()


@pytest.fixture
def user(db):
    return make_user(username="alice")


@pytest.fixture
def other_user(db):
    return make_user(username="bob")


@pytest.fixture
def logged_in_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def questions(db):
    """The shipped question bank."""
    from django.core.management import call_command

    from cards.bank import services
    from cards.models import Question

    services.ensure_topics()  # a transactional test's flush removes them
    call_command("loaddata", "questions", "keypoints", verbosity=0)
    return list(Question.objects.all())


# Browser tests -------------------------------------------------------------


def uses_database(item: pytest.Item) -> bool:
    return item.get_closest_marker(
        "django_db"
    ) is not None or "_django_db_helper" in getattr(item, "fixturenames", ())


# What the PostgreSQL CI pass runs again (issue 10: "only what depends on the
# database"): an opt-in list of modules, plus every test marked `postgres` or
# `fuzz`. A module is here when its tests exercise what differs between the
# two backends:
# - docs/RELIABILITY.md section 5: items 1, 2, 4, 5 and 10 rerun on PostgreSQL
#   (replays, lost updates, IDOR, bad grade bodies, a database restart), and
#   the importer fuzzer (item 14: NUL bytes, int32);
# - SQL of our own: the grade's one write and the queue (cards/review/grade_sql,
#   queue_sql, queue_next), the rollup upsert, search, the compiled progress
#   queries, query and round-trip counts, migrations with RunSQL, the test
#   factories' own INSERT (insert_rows);
# - row locks: `select_for_update()` is a no-op on SQLite, and outside
#   `atomic()` it raises only on PostgreSQL, so each service that takes one
#   (review, bank, learner, mock, planning, care, reminders: SKIP LOCKED) has
#   its service tests here; bulk inserts, sequences after loaddata, stored
#   int32 and date limits, dates computed in SQL;
# - PostgreSQL operations: pg_dump backups, the replica router, readiness.
# Views, admin pages, commands, mail, the demo and HTML are tested once (the
# SQLite pass): they reach the database only through the services above.
DATABASE_DEPENDENT = (
    "bank/test_browse.py",
    "bank/test_browse_scale.py",
    "bank/test_conflicts.py",
    "bank/test_services.py",
    "bench/test_datagen.py",
    "care/test_services.py",
    "care/test_userdata.py",
    "invariants/test_concurrency.py",
    "invariants/test_grading_reliability.py",
    "invariants/test_idor.py",
    "invariants/test_outage.py",
    "invariants/test_review_input.py",
    "invariants/test_rollup.py",
    "invariants/test_scheduler_properties.py",
    "invariants/test_seed_idempotency.py",
    "invariants/test_time_zones.py",
    "learner/test_data.py",
    "learner/test_data_fsrs.py",
    "learner/test_data_stream.py",
    "learner/test_erasure.py",
    "learner/test_scheduler_switch.py",
    "learner/test_typed_data.py",
    "learner/test_usernames.py",
    "mock/test_services.py",
    "mock/test_userdata.py",
    "mock/test_views_refused.py",
    "ops/test_backup.py",
    "ops/test_health.py",
    "ops/test_replica.py",
    "planning/test_services.py",
    "planning/test_userdata.py",
    "progress/test_compiled.py",
    "progress/test_queries.py",
    "progress/test_rollup.py",
    "progress/test_views.py",
    "reminders/test_delivery.py",
    "reminders/test_digest.py",
    "reminders/test_exactly_once.py",
    "reminders/test_userdata.py",
    "review/test_answer.py",
    "review/test_card_info.py",
    "review/test_confidence.py",
    "review/test_drill.py",
    "review/test_grade_suspended.py",
    "review/test_query_counts.py",
    "review/test_queue.py",
    "review/test_queue_next.py",
    "review/test_queue_sql.py",
    "review/test_services.py",
    "review/test_state.py",
    "review/test_fsrs_mode.py",
    "review/test_typed_views.py",
    "review/test_views.py",
    "test_bulk.py",
    "test_factories.py",
    "test_migrations.py",
)


def _runs_on_postgresql(item) -> bool:
    path = item.nodeid.split("::", 1)[0].removeprefix("tests/")
    if item.get_closest_marker("browser") or item.get_closest_marker("once"):
        return False
    return bool(
        item.get_closest_marker("postgres")
        or item.get_closest_marker("fuzz")
        or path in DATABASE_DEPENDENT
    )


# The slowest tests (over ~8 s each on a quiet two-core machine) start first, so
# that pytest-xdist's workers finish together instead of one waiting on a tail.
SLOW_FIRST = (
    "invariants/test_fuzz.py::test_markdown_survives_coverage_guided_fuzzing",
    "invariants/test_fuzz.py::test_importer_survives_coverage_guided_fuzzing",
    "browser/test_accessibility.py::test_every_page_passes_axe",
    "invariants/test_concurrency.py::test_concurrent_grading_loses_nothing",
    "test_packaging.py::test_the_wheel_installs",
    "invariants/test_time_zones.py::test_due_day_is_exactly_n_study_days_later",
    "browser/test_progress.py::test_progress_page_with_demo_history",
    "reminders/test_exactly_once.py::",
    "invariants/test_grading_reliability.py::test_replayed_http_grades_add_nothing",
    "invariants/test_idor.py::",
    "learner/test_data_stream.py::test_many_reviews",
    "review/test_check_answer_command.py::",
    "invariants/test_review_input.py::test_random_bodies",
    "progress/test_views.py::test_query_count_is_fixed",
    "test_make_run.py::",
)


def _slow(item) -> bool:
    return any(part in item.nodeid for part in SLOW_FIRST)


# Tests that run without coverage.py (pytest-cov's no_cover; their Python
# subprocesses too): tracing costs them half again their CPU and finds
# nothing. Measured on 2026-12-03 with --cov-context=test over the SQLite
# pass: each of these sweeps covers 0 arcs that no other test covers, and the
# browser tests together 18 of 22,110 (the end-to-end paths of code the unit
# tests cover). None of them starts a measured Python process (those count
# under no test's context, so they stay measured). .ci/run prints the combined
# coverage, so a gap would show there.
UNMEASURED = (
    "learner/test_data_stream.py::test_many_reviews",
    "invariants/test_review_input.py::test_random_bodies",
    "invariants/test_grading_reliability.py::test_replayed_http_grades",
    "invariants/test_headers.py::",
    "invariants/test_time_zones.py::",
    "invariants/test_scheduler_properties.py::test_properties_hold_over_long",
    "progress/test_views.py::test_query_count_is_fixed",
)
# The PostgreSQL pass adds to the SQLite pass's coverage only the code that
# runs differently there (72 arcs, in grade_sql, prepared, browse, backup,
# workload and two migrations, measured 2026-12-02), which the pass's other
# tests reach; these reruns of sweeps measured in the SQLite pass add nothing.
UNMEASURED_ON_POSTGRESQL = (
    *UNMEASURED,
    "reminders/test_exactly_once.py::",
    "invariants/test_idor.py::",
    "invariants/test_fuzz.py::",
    "invariants/test_concurrency.py::",
    "invariants/test_rollup.py::",
    "invariants/test_seed_idempotency.py::",
    "invariants/test_scheduler_properties.py::",
    "invariants/test_grading_reliability.py::",
    "learner/test_data.py::test_export_wipe_import_round_trips",
)


def _unmeasured(item, prefixes) -> bool:
    return item.get_closest_marker("browser") is not None or any(
        part in item.nodeid for part in prefixes
    )


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: not _slow(item))  # stable: the rest keep order
    postgresql_pass = os.environ.get("TEST_PASS") == "database"
    if postgresql_pass:
        # The second CI pass (PostgreSQL) runs what depends on the database
        # (DATABASE_DEPENDENT above); the rest ran in the first.
        keep, drop = [], []
        for item in items:
            again = _runs_on_postgresql(item) and uses_database(item)
            (keep if again else drop).append(item)
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
    unmeasured = UNMEASURED_ON_POSTGRESQL if postgresql_pass else UNMEASURED
    for item in items:
        if _unmeasured(item, unmeasured):
            item.add_marker(pytest.mark.no_cover)
    _skip_browser_tests_without_chromium(items)


def _skip_browser_tests_without_chromium(items):
    if CHROMIUM:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(
            "REQUIRE_BROWSER=1 but no Chromium was found (apt-get install chromium)."
        )
    skip = pytest.mark.skip(reason="no Chromium on this machine")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture
def live_app(live_server):
    """The live server (plain HTTP: settings default to it under pytest)."""
    return live_server


@pytest.fixture
def console_errors(page):
    """Console errors and failed requests seen by `page` (CSP violations included)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
    )
    return errors


# Screenshots are for people to look at (make test leaves them in
# test-artifacts/); no test reads them. CI sets SCREENSHOTS=0: a full-page
# capture costs Chromium 0.3-0.8 s, 53 of them a run.
SCREENSHOTS = os.environ.get("SCREENSHOTS", "1") != "0"


@pytest.fixture
def screenshot(page, request):
    """Save a screenshot under test-artifacts/<test name>/<step>.png (the whole
    page, or with full_page=False what the viewport shows)."""
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    folder.mkdir(parents=True, exist_ok=True)

    def take(step: str, *, full_page: bool = True) -> Path:
        path = folder / f"{step}.png"
        if SCREENSHOTS:
            # caret="initial": hiding the caret leaves style="" that the CSP refuses.
            page.screenshot(path=str(path), full_page=full_page, caret="initial")
        return path

    return take


@pytest.fixture(autouse=True)
def _no_cover_reaches_subprocesses(request):
    """A test marked no_cover starts its Python processes unmeasured too."""
    if request.node.get_closest_marker("no_cover"):
        request.getfixturevalue("unmeasured_subprocesses")


@pytest.fixture
def unmeasured_subprocesses(monkeypatch):
    """Python processes this test starts run without coverage.py.

    `[tool.coverage.run] patch = ["subprocess"]` measures every Python process
    a test starts (pyproject.toml). For processes that only repeat code the
    test process covers already (the concurrent graders), or measure their own
    coverage (atheris), tracing costs CPU and finds nothing.
    """
    monkeypatch.delenv("COVERAGE_PROCESS_CONFIG", raising=False)
    monkeypatch.delenv("COVERAGE_PROCESS_START", raising=False)


# Hypothesis: derandomized in CI (HYPOTHESIS_PROFILE=ci), exploring locally.
settings_profiles.register_profile(
    "ci", derandomize=True, deadline=None, print_blob=True
)
settings_profiles.register_profile("dev", deadline=None)
settings_profiles.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


# Reliability figures (issue 6) ----------------------------------------------
# A test records the figure its plan item asks for (docs/RELIABILITY.md):
#
#     def test_no_lost_grades(figure):
#         ...
#         figure(2, f"0 lost of {accepted:,} concurrent grades ({conflicts} x 409)")
#
# Record the figure before asserting, so a failing run still shows it. Every
# run ends with a table of the figures (marked FAILED where the test failed),
# also written to test-artifacts/figures-<database>.md for docs/RELIABILITY.md.
# Figures travel on the test's report (user_properties), so they reach the
# controller when pytest-xdist runs the tests in worker processes.

_FIGURES: list[tuple[str, str, str]] = []
_FAILED: set[str] = set()


@pytest.fixture
def figure(request):
    """Call figure(item, text) to report plan item `item`'s figure."""

    def record(item: int | str, text: str) -> None:
        request.node.user_properties.append(("figure", (str(item), text)))

    return record


def pytest_runtest_logreport(report):
    if report.failed and report.when in ("setup", "call"):
        _FAILED.add(report.nodeid)
    if report.when == "call":
        for name, value in report.user_properties:
            if name == "figure":
                _FIGURES.append((*value, report.nodeid))


def _item_order(row):
    item = row[0]
    return (int(item), "") if item.isdigit() else (10**6, item)


def pytest_terminal_summary(terminalreporter, config):
    rows = sorted(_FIGURES, key=_item_order)
    if not rows:
        return
    from django.conf import settings as django_settings

    engine = django_settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    vendor = {"sqlite3": "sqlite"}.get(engine, engine)
    width = max(len(r[0]) for r in rows)
    terminalreporter.section(f"Reliability figures ({vendor})", sep="=")
    for item, text, nodeid in rows:
        mark = "  FAILED" if nodeid in _FAILED else ""
        terminalreporter.write_line(f"item {item:>{width}}  {text}{mark}")
    ARTIFACTS.mkdir(exist_ok=True)
    table = ["| Item | Figure | Test |", "|---|---|---|"] + [
        f"| {item} | {text}{' **FAILED**' if nodeid in _FAILED else ''} | "
        f"`{nodeid.split('::')[-1]}` |"
        for item, text, nodeid in rows
    ]
    (ARTIFACTS / f"figures-{engine}.md").write_text("\n".join(table) + "\n")

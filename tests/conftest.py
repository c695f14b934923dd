"""Fixtures shared by every test: fast settings, users, clients, a browser."""

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings as settings_profiles

from tests.factories import make_user

# Sync Playwright runs an event loop in the test thread; Django must allow ORM
# calls from it (pytest-django's live_server runs in another thread anyway).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Hashed static storage needs collectstatic and 404s under live_server.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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

    from cards.models import Question

    call_command("loaddata", "questions", verbosity=0)
    return list(Question.objects.all())


# Browser tests -------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
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


@pytest.fixture
def screenshot(page, request):
    """Save a full-page screenshot under test-artifacts/<test name>/<step>.png."""
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    folder.mkdir(parents=True, exist_ok=True)

    def take(step: str) -> Path:
        path = folder / f"{step}.png"
        # caret="initial": hiding the caret leaves style="" that the CSP refuses.
        page.screenshot(path=str(path), full_page=True, caret="initial")
        return path

    return take


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

_FIGURES = pytest.StashKey[list]()
_OUTCOMES = pytest.StashKey[dict]()


def pytest_configure(config):
    config.stash[_FIGURES] = []
    config.stash[_OUTCOMES] = {}


@pytest.fixture
def figure(request):
    """Call figure(item, text) to report plan item `item`'s figure."""

    def record(item: int | str, text: str) -> None:
        request.config.stash[_FIGURES].append((str(item), text, request.node.nodeid))

    return record


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item, call):
    failed = call.excinfo is not None and call.when in ("setup", "call")
    if failed and not call.excinfo.errisinstance(pytest.skip.Exception):
        item.config.stash[_OUTCOMES][item.nodeid] = "FAILED"


def _item_order(row):
    item = row[0]
    return (int(item), "") if item.isdigit() else (10**6, item)


def pytest_terminal_summary(terminalreporter, config):
    rows = sorted(config.stash.get(_FIGURES, []), key=_item_order)
    if not rows:
        return
    from django.conf import settings as django_settings
    from django.db import connection

    outcomes = config.stash[_OUTCOMES]
    vendor = connection.vendor
    width = max(len(r[0]) for r in rows)
    lines = []
    for item, text, nodeid in rows:
        mark = "  FAILED" if outcomes.get(nodeid) else ""
        lines.append(f"item {item:>{width}}  {text}{mark}")
    terminalreporter.section(f"Reliability figures ({vendor})", sep="=")
    for line in lines:
        terminalreporter.write_line(line)
    ARTIFACTS.mkdir(exist_ok=True)
    table = ["| Item | Figure | Test |", "|---|---|---|"] + [
        f"| {item} | {text}{' **FAILED**' if outcomes.get(nodeid) else ''} | "
        f"`{nodeid.split('::')[-1]}` |"
        for item, text, nodeid in rows
    ]
    engine = django_settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    (ARTIFACTS / f"figures-{engine}.md").write_text("\n".join(table) + "\n")

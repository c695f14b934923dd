"""Database restart mid-session against a real server (plan item 10).

A private PostgreSQL cluster (tests/pgcluster.py) backs a gunicorn server on
127.0.0.1; a learner logs in through the login form and grades through the
review screen's own endpoint as htmx does (CSRF header, HX-Request, the next
card's version read from the response), stops the database, grades during
the outage, starts it again and grades on. Runs on either test database (the
suite's own database is not involved); skipped only without PostgreSQL's
binaries.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import psycopg
import pytest

from tests.factories import PASSWORD
from tests.paths import ROOT
from tests.pgcluster import PrivateCluster, find_bindir, free_port

BINDIR = find_bindir()
pytestmark = pytest.mark.skipif(BINDIR is None, reason="PostgreSQL binaries not found")


class Browser:
    """urllib with a cookie jar: keeps the session and CSRF cookies."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def request(self, url: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def log_in(self, base: str, username: str, password: str) -> None:
        status, _, page = self.request(base + "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        credentials = {"username": username, "password": password}
        status, _, page = self.request(
            base + "/accounts/login/", credentials | {"csrfmiddlewaretoken": token}
        )
        assert status == 200 and self.cookie("sessionid"), page[:500]


def request(url: str, data: dict | None = None, headers: dict | None = None):
    return Browser().request(url, data, headers)


@pytest.fixture
def cluster():
    pg = PrivateCluster(BINDIR)
    try:
        pg.init()
        pg.start()
        yield pg
    finally:
        pg.destroy()


@pytest.fixture
def server(cluster, tmp_path):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))
    } | {
        "DJANGO_SETTINGS_MODULE": "tests.outage_settings",
        "DJANGO_SECRET_KEY": "outage-test-" + "k" * 50,
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": cluster.url,
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    seed = (
        "from tests.factories import make_user, make_question; "
        "make_user(username='learner'); print(make_question().pk)"
    )
    out = subprocess.run(
        [*manage, "shell", "-c", seed], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    question = int(out.stdout.split()[-1])
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "genai_prep.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if request(base + "/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(
                "gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text()
            )
        yield base, question, tmp_path / "gunicorn.log"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_database_restart_gives_503_then_recovers_by_itself(cluster, server, figure):
    base, question, log = server
    learner = Browser()
    learner.log_in(base, "learner", PASSWORD)
    grade_url = f"{base}/review/{question}/grade/"
    version = 0  # never answered
    ok_grades = 0

    def grade():
        """Answer "Again" (1) as htmx would: the card stays due today."""
        nonlocal version, ok_grades
        status, headers, body = learner.request(
            grade_url,
            {"grade": "1", "version": str(version)},
            {"X-CSRFToken": learner.cookie("csrftoken"), "HX-Request": "true"},
        )
        if status == 200:
            shown = re.search(r'name="version" value="(\d+)"', body)
            assert shown, body[:500]  # the same card again, at its new version
            version = int(shown[1])
            ok_grades += 1
        return status, headers, body

    assert grade()[0] == 200

    cluster.stop()
    outage = [grade() for _ in range(3)]
    page = learner.request(base + "/")
    htmx = learner.request(base + "/", headers={"HX-Request": "true"})
    cluster.start()
    recovery = [grade() for _ in range(3)]

    # A restart between two requests: the kept connection (CONN_MAX_AGE) is
    # dead, and CONN_HEALTH_CHECKS must notice before the view uses it.
    cluster.stop()
    cluster.start()
    after_quiet_restart = grade()[0]

    with psycopg.connect(cluster.url.replace("postgres://", "postgresql://")) as conn:
        rows = conn.execute("SELECT count(*) FROM cards_reviewlog").fetchone()[0]
        stored_version = conn.execute(
            "SELECT version FROM cards_reviewschedule"
        ).fetchone()[0]

    outage_503 = sum(s == 503 and h.get("Retry-After") == "10" for s, h, _ in outage)
    recovered = sum(s == 200 for s, _, _ in recovery)
    partial = abs(rows - ok_grades) + abs(stored_version - ok_grades)
    figure(
        10,
        f"outage: {outage_503}/3 503, recovery: {recovered}/3 200 (+1 after a quiet "
        f"restart: {after_quiet_restart}), partial writes {partial}",
    )
    assert outage_503 == 3, outage
    assert all("briefly unavailable" in body for _, _, body in outage)
    assert page[0] == 503 and "Briefly unavailable" in page[2]
    assert htmx[0] == 503 and 'hx-swap-oob="true"' in htmx[2]
    assert recovered == 3 and after_quiet_restart == 200
    assert partial == 0 and rows == 5
    assert "Traceback" not in log.read_text()

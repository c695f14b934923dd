"""make run: web server, queue worker and tick together; Ctrl+C leaves nothing.

Runs the real `make run` on a fresh SQLite database in a temporary directory,
as a developer would, in its own session (a stand-in for the terminal), then
sends SIGINT to its process group as a terminal's Ctrl+C does.
"""

import http.cookiejar
import os
import re
import signal
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from tests.paths import ROOT
from tests.reminders.smtp import free_port

pytestmark = pytest.mark.once
NAMES = ("runserver", "db_worker", "reminders_tick")


def processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process on the machine."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":  # zombies have exited already
            found[int(entry.name)] = (int(fields[1]), cmdline)
    return found


def descendants(root: int) -> dict[int, str]:
    table = processes()
    family, frontier = {}, {root}
    while frontier:
        frontier = {pid for pid, (ppid, _) in table.items() if ppid in frontier}
        family |= {pid: table[pid][1] for pid in frontier}
    return family


def get(opener, url: str, data: dict | None = None, headers: dict | None = None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    with opener.open(request, timeout=10) as response:
        return response.status, response.read().decode()


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc (Linux)")
def test_make_run_serves_works_the_queue_and_ctrl_c_stops_all_three(tmp_path):
    port = free_port(range(8760, 8800))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("DATABASE_URL", None)  # the embedded default: SQLite
    env |= {"DJANGO_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    log = (tmp_path / "make-run.log").open("w")
    make = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:

        def serving():
            try:
                return get(opener, base + "/")[0] == 200
            except OSError:
                return False

        wait_for(serving, 180, "the development server")
        family = descendants(make.pid)
        for name in NAMES:
            assert any(name in cmd for cmd in family.values()), (name, family)

        # The worker is the real database queue: a reset request becomes a job
        # that it runs to completion.
        _, form = get(opener, base + "/accounts/password_reset/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        get(
            opener,
            base + "/accounts/password_reset/",
            {"csrfmiddlewaretoken": token, "email": "nobody@example.com"},
            {"Referer": base + "/accounts/password_reset/"},
        )

        def job_done():
            with sqlite3.connect(
                f"file:{tmp_path / 'db.sqlite3'}?mode=ro", uri=True
            ) as db:
                table = DBTaskResult._meta.db_table
                rows = db.execute(
                    f"SELECT status FROM {table} WHERE task_path = ?",
                    ("cards.tasks.send_password_reset",),
                ).fetchall()  # the tick may have queued the daily maintenance too
            return rows == [("SUCCESSFUL",)]

        wait_for(job_done, 60, "the worker to run the reset job")
    finally:
        os.killpg(make.pid, signal.SIGINT)  # Ctrl+C in the terminal
        try:
            make.wait(timeout=60)
        finally:
            log.close()
    alive = {pid: cmd for pid, cmd in family.items() if pid in processes()}
    deadline = time.monotonic() + 20
    while alive and time.monotonic() < deadline:
        time.sleep(0.3)
        alive = {pid: cmd for pid, cmd in alive.items() if pid in processes()}
    assert make.returncode is not None and alive == {}, (
        tmp_path / "make-run.log"
    ).read_text()[-2000:]

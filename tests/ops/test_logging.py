"""The logs an operator reads: JSON lines in production, readable text in
development, each with the request id and the user id and nothing personal.
The app runs in a subprocess (tests/ops/logprobe.py), so what is checked is
the real output of the real logging configuration."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

from tests.factories import make_user
from tests.paths import ROOT

PRIVATE = ("private-name", "private-password", "private@example.com", "alice")


def database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def probe_env(**extra: str) -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST", "HYPOTHESIS"))
    } | {
        "DJANGO_SECRET_KEY": "log-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_HTTPS": "0",
        "DATABASE_URL": database_url(),
        **extra,
    }


def run_probe(*args: str, **extra: str) -> tuple[dict, str]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.ops.logprobe", *args],
        env=probe_env(**extra),
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1]), result.stderr


@pytest.fixture
def learner(transactional_db):
    # Committed, so that the subprocess sees it.
    return make_user(username="alice", email="private@example.com")


def test_production_logs_are_json_lines_with_request_and_user_ids(learner):
    ids, stderr = run_probe("requests", str(learner.pk))
    lines = [json.loads(line) for line in stderr.splitlines()]  # every line is JSON
    access = {e["request_id"]: e for e in lines if e["logger"] == "genai_prep.access"}
    assert set(access) == set(ids.values())
    assert access[ids["health"]] | {"duration_ms": 0} == {
        "time": access[ids["health"]]["time"],
        "level": "INFO",
        "logger": "genai_prep.access",
        "message": "GET /healthz 200",
        "request_id": ids["health"],
        "user_id": "-",
        "method": "GET",
        "route": "/healthz",
        "status": 200,
        "duration_ms": 0,
    }
    assert access[ids["progress"]]["user_id"] == str(learner.pk)
    assert access[ids["failed_login"]]["status"] == 200  # the form again
    assert access[ids["missing"]]["route"] == "(unmatched)"
    # Django's own warning for the 404 carries the same request id and user.
    not_found = next(e for e in lines if e["message"].startswith("Not Found"))
    assert not_found["request_id"] == ids["missing"]
    assert not_found["user_id"] == str(learner.pk)
    for secret in PRIVATE:
        assert secret not in stderr


def test_development_logs_are_readable_lines(learner):
    ids, stderr = run_probe("requests", str(learner.pk), DJANGO_DEBUG="1")
    line = re.compile(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|WARNING) +"
        r"\[(?P<id>[0-9a-f]{32}|-) user=(?P<user>\d+|-)\] [\w.]+: .+"
    )
    parsed = [line.fullmatch(text) for text in stderr.splitlines()]
    assert all(parsed), stderr
    assert (
        f"[{ids['progress']} user={learner.pk}] genai_prep.access: GET /progress/ 200"
        in stderr
    )
    for secret in PRIVATE:
        assert secret not in stderr

"""A real gunicorn server on loopback for the ops tests (production settings)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.paths import ROOT
from tests.pgcluster import free_port


def production_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST", "HYPOTHESIS", "PROMETHEUS", "SENTRY"))
    }
    return env | {
        "DJANGO_SECRET_KEY": "ops-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_HTTPS": "0",
        **extra,
    }


def get(url: str, headers: dict | None = None, method: str = "GET"):
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path, *, workers: int = 2):
    """Yields the base URL once /healthz answers; stops the server afterwards."""
    port = free_port()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "genai_prep.wsgi:application",
             "-c", "python:genai_prep.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "60"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    if get(base + "/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("gunicorn did not start: " + log.read_text())
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=30)

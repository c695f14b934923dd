"""The server under test: gunicorn with production settings on 127.0.0.1."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent


def scale_url(base: str, scale: str) -> str:
    """DATABASE_URL of one scale: its own schema, so S and L live side by side."""
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options={quote(f'-c search_path=bench_{scale.lower()}')}"


def ensure_schema(base: str, scale: str) -> None:
    """Create the database (if missing) and the scale's schema."""
    plain = base.split("?", 1)[0]
    try:
        conn = psycopg.connect(plain, autocommit=True)
    except psycopg.OperationalError as e:
        if "does not exist" not in str(e):
            raise
        server, name = plain.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        conn = psycopg.connect(plain, autocommit=True)
    with conn:
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS bench_{scale.lower()}")


def environment(database_url: str, static_root: str, secret: str) -> dict[str, str]:
    """Production settings (DEBUG off, a real secret key) over plain HTTP, with the
    bench middleware and floor routes."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=secret,
        DJANGO_HTTPS="0",
        DJANGO_BENCH="1",
        DJANGO_STATIC_ROOT=static_root,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def new_secret() -> str:
    return secrets.token_urlsafe(50)


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True
    )


def _no_control_socket() -> list[str]:
    """gunicorn 25.1+ opens a control socket at one fixed path per user, which
    concurrent servers on this machine would fight over: switch it off."""
    from gunicorn import config

    return ["--no-control-socket"] if hasattr(config, "ControlSocketDisable") else []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """`with Gunicorn(env, workers=5, log=path) as url:` serves until the block ends."""

    def __init__(self, env: dict[str, str], *, workers: int, log: Path) -> None:
        self.env = env
        self.workers = workers
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> str:
        url = f"http://127.0.0.1:{self.port}"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        out = self.log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "genai_prep.wsgi",
                # Production's own settings (docs/DEPLOY.md).
                "-c",
                "python:genai_prep.gunicorn_conf",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--preload",
                "--backlog=256",
                *_no_control_socket(),
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            try:
                with urllib.request.urlopen(f"{url}/bench/floor/plain/", timeout=2):
                    return url
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer within 60 s; see {self.log}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: workers finish
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

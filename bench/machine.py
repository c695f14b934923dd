"""The machine, software versions and commit a benchmark ran on."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib.metadata import version
from pathlib import Path

import psycopg

from bench.server import BASE_DIR


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        text = ""
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gb() -> float | None:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return None
    return round(pages / 1024**3, 1)


def _git() -> str:
    def run(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=BASE_DIR, capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    commit = run("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("+dirty" if run("status", "--porcelain") else "")


# What decides how much of the data PostgreSQL keeps in memory (bench/pg.py).
MEMORY_SETTINGS = ("shared_buffers", "effective_cache_size", "work_mem")


def server_url(database_url: str) -> str:
    """The server's own `postgres` database: the benchmark's may not exist yet
    (a fresh cluster, bench/pg.py), and the version and settings are the server's."""
    return database_url.split("?", 1)[0].rsplit("/", 1)[0] + "/postgres"


def describe(database_url: str) -> dict:
    settings = {}
    try:
        with psycopg.connect(server_url(database_url)) as conn:
            postgres = conn.execute("SHOW server_version").fetchone()[0]
            for name in MEMORY_SETTINGS:
                settings[name] = conn.execute(f"SHOW {name}").fetchone()[0]
    except psycopg.Error:
        postgres = "unreachable"
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": version("django"),
        "gunicorn": version("gunicorn"),
        "psycopg": version("psycopg"),
        "aiohttp": version("aiohttp"),
        "postgresql": postgres,
        "postgresql_settings": settings,
        "commit": _git(),
    }

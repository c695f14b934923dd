"""Backups and restores of the whole database: pg_dump's custom format and
pg_restore for PostgreSQL, SQLite's online backup API for a single-host install.

SQLite's backup API copies a consistent snapshot page by page while the app
keeps writing (a plain file copy of a live WAL database can be torn).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

SQLITE = "django.db.backends.sqlite3"
POSTGRES = "django.db.backends.postgresql"


class BackupError(Exception):
    pass


def default_alias() -> str:
    """PostgreSQL directly when DATABASE_DIRECT_URL is set (not through PgBouncer)."""
    return "direct" if "direct" in connections.settings else "default"


def engine_of(db: dict) -> str:
    if db["ENGINE"] not in (SQLITE, POSTGRES):
        raise BackupError(f"no backup for the database engine {db['ENGINE']}")
    return db["ENGINE"]


def suffix_for(db: dict) -> str:
    return ".sqlite3" if engine_of(db) == SQLITE else ".dump"


def _pg_args(db: dict) -> tuple[list[str], dict[str, str]]:
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} not found (apt-get install postgresql-client)")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup(db: dict, output: Path) -> Path:
    """Write a backup of the database `db` (a settings.DATABASES entry) to `output`."""
    output.parent.mkdir(parents=True, exist_ok=True)
    if engine_of(db) == SQLITE:
        source = sqlite3.connect(str(db["NAME"]))
        target = sqlite3.connect(str(output))
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return output
    args, env = _pg_args(db)
    _run(["pg_dump", "--format=custom", "--file", str(output), *args, db["NAME"]], env)
    return output


def restore(db: dict, source: Path) -> None:
    """Replace the contents of the database `db` with the backup at `source`.

    PostgreSQL: pg_restore in one transaction (all or nothing), objects dropped
    and re-created, owners left to whoever restores. SQLite: the backup API in
    the other direction. Stop the app servers first.
    """
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    if engine_of(db) == SQLITE:
        backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(str(db["NAME"]))
        try:
            with target:
                backup_file.backup(target)
        finally:
            target.close()
            backup_file.close()
        return
    args, env = _pg_args(db)
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
         "--exit-on-error", *args, "--dbname", db["NAME"], str(source)],
        env,
    )  # fmt: skip

"""Bulk writers for the benchmark data: PostgreSQL COPY, or bulk_create elsewhere."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.db import connection

from bench import simulate
from cards.models import LearnerProfile, Question, ReviewLog, ReviewSchedule

BIG_TABLES = ("cards_reviewlog", "cards_reviewschedule")
TABLES = {
    "users": "auth_user",
    "profiles": "cards_learnerprofile",
    "questions": "cards_question",
}


def _model(key: str):
    return {
        "users": get_user_model(),
        "profiles": LearnerProfile,
        "questions": Question,
    }[key]


class CopyWriter:
    def __init__(self) -> None:
        self.raw = connection.connection
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")

    def drop_indexes(self) -> list[tuple[str, str]]:
        """Drop secondary indexes, unique and foreign-key constraints of the big
        tables; return the statements that recreate them."""
        restore = []
        with connection.cursor() as cursor:
            for table in BIG_TABLES:
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint"
                    " WHERE conrelid = %s::regclass AND contype IN ('f', 'u')"
                    " ORDER BY contype DESC",
                    [table],
                )
                for name, definition, _ in cursor.fetchall():
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                    restore.append(
                        (
                            table,
                            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}',
                        )
                    )
                cursor.execute(
                    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
                    " FROM pg_index i WHERE i.indrelid = %s::regclass"
                    " AND NOT i.indisprimary",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {name}")
                    restore.append((table, definition))
        # Unique constraints and indexes first, foreign keys last.
        restore.sort(key=lambda r: "FOREIGN KEY" in r[1])
        return restore

    def restore_indexes(self, restore: list[tuple[str, str]]) -> None:
        with connection.cursor() as cursor:
            for _, sql in restore:
                cursor.execute(sql)

    def small(self, tables: dict[str, list[dict]]) -> None:
        with self.raw.cursor() as cursor:
            for key, rows in tables.items():
                extra = _missing_fields(_model(key), list(rows[0]))
                defaults = {f.column: f.get_default() for f in extra}
                columns = [*rows[0], *defaults]
                sql = f"COPY {TABLES[key]} ({', '.join(columns)}) FROM STDIN"
                with cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row([*row.values(), *defaults.values()])

    def logs(self):
        return Stream(self.raw, ReviewLog, simulate.LOG_COLUMNS)

    def schedules(self, lines: list[str]) -> None:
        with Stream(self.raw, ReviewSchedule, simulate.SCHEDULE_COLUMNS) as w:
            w(lines)


def _missing_fields(model, columns: list[str]) -> list:
    """Fields added after this generator was written (a later migration): they
    get their model default, so COPY keeps working after a merge."""
    return [f for f in model._meta.concrete_fields if f.attname not in columns]


def _copy_text(value) -> str:
    if value is None:
        return simulate.NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class Stream:
    """A COPY ... FROM STDIN fed with batches of text lines."""

    def __init__(self, raw, model, columns: list[str]) -> None:
        self.cursor = raw.cursor()
        extra = _missing_fields(model, columns)
        self.suffix = "".join("\t" + _copy_text(f.get_default()) for f in extra)
        names = [*columns, *(f.column for f in extra)]
        self.sql = f"COPY {model._meta.db_table} ({', '.join(names)}) FROM STDIN"

    def __enter__(self):
        self.context = self.cursor.copy(self.sql)
        self.copy = self.context.__enter__()
        return self.write

    def write(self, lines: list[str]) -> None:
        if not lines:
            return
        if self.suffix:
            lines = [line + self.suffix for line in lines]
        self.copy.write("\n".join(lines) + "\n")

    def __exit__(self, *exc) -> None:
        self.context.__exit__(*exc)
        self.cursor.close()


class BulkWriter:
    """bulk_create in batches, for SQLite (the XS test) and other backends."""

    def drop_indexes(self) -> list:
        return []

    def restore_indexes(self, restore: list) -> None:
        pass

    def small(self, tables: dict[str, list[dict]]) -> None:
        for key, rows in tables.items():
            model = _model(key)
            model.objects.bulk_create([model(**row) for row in rows], batch_size=500)

    def logs(self):
        return BulkStream(ReviewLog, simulate.LOG_COLUMNS)

    def schedules(self, lines: list[str]) -> None:
        with BulkStream(ReviewSchedule, simulate.SCHEDULE_COLUMNS) as w:
            w(lines)


class BulkStream:
    def __init__(self, model, columns: list[str]) -> None:
        self.model = model
        self.columns = columns
        self.pending: list = []
        # COPY parses JSON text into a json column itself; a model field wants the value.
        self.json = {
            f.attname
            for f in model._meta.concrete_fields
            if f.get_internal_type() == "JSONField"
        }

    def __enter__(self):
        return self.write

    def write(self, lines: list[str]) -> None:
        for line in lines:
            values = [None if v == simulate.NULL else v for v in line.split("\t")]
            row = dict(zip(self.columns, values, strict=True))
            for name in self.json & row.keys():
                row[name] = json.loads(row[name])
            self.pending.append(self.model(**row))

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            # Logs may precede their schedules: SQLite checks foreign keys at commit.
            self.model.objects.bulk_create(self.pending, batch_size=2_000)

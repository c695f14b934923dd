"""Statements that PostgreSQL plans once per connection (issue 12).

Django's psycopg cursors bind parameters on the client, so PostgreSQL parses
and plans every statement it gets afresh. The grade's next-card statement
(7 KB: the topic filter three times) spent 1.6 ms planning against 0.3 ms
running, on every card; the grade's read and write another 0.5 ms or so.
`fetchone` runs a statement on a server-binding cursor that prepares it the
first time a connection sees it, and sends only the parameters after that.

- The cursor goes through Django's own wrapper, so execute wrappers (the
  benchmark's counters), query logging and error translation see it as any
  other, and the connection's health check runs as for `connection.cursor()`.
- A statement the connection has not prepared yet (psycopg's own map says;
  it forgets them all after a ROLLBACK) runs pipelined: Parse, Bind, Execute
  and one Sync, so preparing costs no round trip of its own.
- Python ints are sent as int8, so a statement has one parameter signature
  (psycopg picks int2, int4 or int8 by value: a prepared statement each).
- Behind PgBouncer in transaction mode (`DATABASE_POOLER=transaction` sets
  `prepare_threshold=None`) psycopg prepares nothing: the statement is only
  bound on the server.

Only for statements written for server-side binding: every parameter whose
type the context does not fix is cast (`(%s)::text`), as the queue's and the
grade's statements are. SQLite runs them on its usual cursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from weakref import WeakKeyDictionary

from django.db import connections
from psycopg.types.numeric import Int8


def fetchone(alias: str, sql: str, params: Sequence) -> tuple | None:
    """Run `sql` on `alias` and return its first row."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    params = [Int8(p) if type(p) is int else p for p in params]
    cursor = _cursor(connection)
    raw = connection.connection
    try:
        if raw.prepare_threshold is None:
            cursor.execute(sql, params)
            return cursor.fetchone()
        with connection.wrap_database_errors:
            query = cursor.cursor.convert_once(sql, params)
        if raw._prepared._names.get(raw._prepared.key(query)):
            cursor.execute(sql, params)
        else:
            # Errors surface when the pipeline syncs: translate them as
            # Django's cursor would (IntegrityError, OperationalError...).
            with connection.wrap_database_errors, raw.pipeline():
                cursor.execute(sql, params)
        return cursor.fetchone()
    except BaseException:
        # A cursor that saw an error is not kept for the next statement.
        _cursors.pop(raw, None)
        cursor.close()
        raise


@cache
def _cursor_class() -> type:
    from django.db.backends.postgresql import base
    from psycopg import _queries, adapt

    # psycopg caches a statement's split into parts only under 4 KB and 50
    # parameters (ORM statements vary); these few are fixed texts of up to
    # 7 KB, so they keep their split (0.4 ms of Python per card otherwise).
    split = lru_cache(maxsize=256)(_queries._query2pg_nocache)

    class FixedQuery(_queries.PostgresQuery):
        __slots__ = ()

        def convert(self, query, vars) -> None:
            if vars is None or not isinstance(query, str | bytes):
                return super().convert(query, vars)
            self.query, self._want_formats, self._order, self._parts = split(
                self._ensure_bytes(query), self._tx.encoding
            )
            self.dump(vars)

    class PreparingCursor(base.ServerBindingCursor):
        _query_cls = FixedQuery
        _converted = None

        def convert_once(self, query, params):
            """Convert now (to look the statement up), and only once."""
            self._tx = adapt.Transformer(self)  # execute makes its own again
            self._converted = self._convert_query(query, params)
            return self._converted

        def _convert_query(self, query, params=None):
            converted, self._converted = self._converted, None
            return converted or super()._convert_query(query, params)

        # Django's wrapper passes no keywords: prepare on the first run.
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparingCursor


# One server-binding cursor per psycopg connection, kept open: making one
# (and Django's checks around it) cost ~0.1 ms of a statement's CPU, three
# statements a card. Django's wrapper is made afresh for each statement, so
# execute wrappers, the query log and error translation see every one.
_cursors: WeakKeyDictionary = WeakKeyDictionary()


def _cursor(connection):
    from django.db.backends.postgresql import base

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    pg = connection.connection
    raw = _cursors.get(pg)
    with connection.wrap_database_errors:
        if raw is None or raw.closed:
            raw = _cursors[pg] = _cursor_class()(pg)
        # As DatabaseWrapper.create_cursor: the zone's loader only when the
        # connection's differs.
        loader = pg.adapters.get_loader(base.TIMESTAMPTZ_OID, base.Format.TEXT)
        if connection.timezone != loader.timezone:
            base.register_tzloader(connection.timezone, raw)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)

"""Round trips to PostgreSQL as they cross the wire, read from libpq's own trace.

`connection.execute_wrapper` sees only the statements Django's cursors run; it
misses BEGIN and COMMIT (sent by psycopg) and the connection health check (a
raw cursor). libpq's trace records every protocol message, so counting the
server's ReadyForQuery messages counts every wait for the database: one per
simple Query, one per extended-protocol Sync.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection as default_connection

_READY = re.compile(r"^B\t\d+\tReadyForQuery", re.MULTILINE)
# The text of each statement the client sent: a simple Query or a Parse.
_SENT = re.compile(r'^F\t\d+\t(?:Query|Parse)\t (?:"[^"]*" )?"(.*)"', re.MULTILINE)
_PARSE_NAME = re.compile(r'^F\t\d+\tParse\t "([^"]*)"')
# A Bind names its portal, then its statement ("" for the unnamed one).
_BIND = re.compile(r'^F\t\d+\tBind\t "[^"]*" "([^"]*)"')


@dataclass
class Trace:
    round_trips: int = 0
    statements: list[str] = field(default_factory=list)
    traced: bool = False  # False: not PostgreSQL, or the connection changed

    def summary(self) -> str:
        """The statements' first words, e.g. 'SELECT 1|BEGIN|UPDATE|COMMIT'."""
        return "|".join(_head(s) for s in self.statements)


def _head(sql: str) -> str:
    words = sql.upper().split()
    if words[:2] == ["SELECT", "1"]:
        return "SELECT 1"
    return words[0].upper() if words else "?"


def parse(text: str, prepared: dict[str, str] | None = None) -> Trace:
    """`prepared`: the texts of the connection's prepared statements by name,
    for a Bind that runs one prepared before the trace (no Parse in it)."""
    statements, parsed = [], set()
    for line in text.splitlines():
        if (sent := _SENT.match(line)) is not None:
            statements.append(sent.group(1))
            if (name := _PARSE_NAME.match(line)) is not None:
                parsed.add(name.group(1))
        elif (bound := _BIND.match(line)) is not None:
            name = bound.group(1)
            if name and name not in parsed:
                statements.append((prepared or {}).get(name, f"EXECUTE {name}"))
    return Trace(
        round_trips=len(_READY.findall(text)),
        statements=statements,
        traced=True,
    )


def _prepared_texts(raw) -> dict[str, str]:
    # psycopg's own map of the statements it prepared on this connection.
    names = getattr(getattr(raw, "_prepared", None), "_names", {})
    return {name.decode(): key[0].decode() for key, name in names.items()}


@contextmanager
def traced(connection=default_connection) -> Iterator[Trace]:
    """Count the round trips of the block on `connection` (PostgreSQL only).

    An open connection is traced as it is, so the health check Django runs on
    the request's first query is counted; a closed one is opened first (a new
    connection needs no health check), and the connection set-up is not counted.
    """
    result = Trace()
    if connection.vendor != "postgresql":
        yield result
        return
    from psycopg import pq

    connection.ensure_connection()
    raw = connection.connection
    with tempfile.TemporaryFile() as out:
        raw.pgconn.trace(out.fileno())
        raw.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            yield result
        finally:
            raw.pgconn.untrace()
            out.seek(0)
            found = parse(out.read().decode("utf-8", "replace"), _prepared_texts(raw))
            result.round_trips = found.round_trips
            result.statements = found.statements
            # A connection closed and reopened inside the block was not traced.
            result.traced = connection.connection is raw

"""Reads that may lag behind the primary go to a read replica, when one is set.

Routers see models, not pages, and the progress page reads the same tables
as the review loop, so a view opts in with `@replica_reads`: its queries
(inside the view and its template) read from DATABASE_READ_REPLICA. Nothing
in cards/review/ opts in: the queue, grading and undo must read what they
just wrote, so they always use the primary. Writes always go to the primary,
even for an object read from the replica. Without a replica configured,
every read stays on the primary.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

_reading = contextvars.ContextVar("reads_from_replica", default=False)


def replica_alias() -> str | None:
    alias = getattr(settings, "DATABASE_READ_REPLICA", "")
    return alias if alias and alias in settings.DATABASES else None


@contextmanager
def reads_from_replica() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def replica_reads[V: Callable](view: V) -> V:
    """Run the view (and render its response) with reads on the replica."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        with reads_from_replica():
            response = view(*args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response

    return wrapped  # type: ignore[return-value]


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        alias = replica_alias()
        return alias if alias and _reading.get() else None

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica holds the same rows

    def allow_migrate(self, db, app_label, **hints) -> bool | None:
        return False if db == replica_alias() else None

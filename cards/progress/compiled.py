"""The progress page's ORM reads, compiled once and re-run with each learner's values.

Building and compiling these querysets (the queue's topic filter is a nest of
subqueries) cost the page more Python than PostgreSQL spent running them:
about 4 ms of CPU each, six of them a page. Their SQL depends only on the
database; the learner and the study day are parameters. So each is compiled
once per (name, database, thread) with sentinel values, and every call puts
the real values where the sentinels were, as cards/review/queue_sql.py does
for the queue's statement. The SQL holds no learner's data; nothing of a
learner is kept between requests. tests/progress/test_compiled.py checks
every read against a fresh ORM evaluation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import ValuesIterable, ValuesListIterable

from cards.models import ReviewSchedule

SENTINEL_USER = -730_194_627  # within int32: PostgreSQL ids are integers
SENTINEL_DAY = date(1901, 2, 5)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[tuple[int, object], ...]  # (position, "user" or a day offset)
    compiler: Any
    converters: dict
    names: tuple[str, ...]
    as_dicts: bool


_cache: dict[tuple, _Compiled] = {}


def _compile(build: Callable, alias: str, offsets: tuple[int, ...]) -> _Compiled:
    queryset = build(SENTINEL_USER, SENTINEL_DAY).using(alias)
    if queryset._iterable_class not in (ValuesIterable, ValuesListIterable):
        raise TypeError("compile .values() or .values_list() querysets")
    query = queryset.query
    compiler = query.get_compiler(alias)
    sql, params = compiler.as_sql()
    ops = connections[alias].ops
    sentinels: dict[object, object] = {"user": SENTINEL_USER}
    for k in offsets:
        sentinels[k] = ops.adapt_datefield_value(SENTINEL_DAY + timedelta(days=k))
    slots = tuple(
        (position, name)
        for position, param in enumerate(params)
        for name, sentinel in sentinels.items()
        if isinstance(param, type(sentinel)) and param == sentinel
    )
    if {name for _, name in slots} != set(sentinels):
        raise RuntimeError("a compiled read no longer takes every variable")
    fields = [s[0] for s in compiler.select[: compiler.col_count]]
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    return _Compiled(
        sql,
        tuple(params),
        slots,
        compiler,
        compiler.get_converters(fields),
        tuple(names),
        queryset._iterable_class is ValuesIterable,
    )


def _prepared(
    name: str, build: Callable, offsets: tuple[int, ...], wrap: Callable | None
) -> tuple[str, _Compiled]:
    alias = router.db_for_read(ReviewSchedule)
    key = (name, alias, threading.get_ident())
    compiled = _cache.get(key)
    if compiled is None:
        compiled = _compile(build, alias, offsets)
        if wrap is not None:
            compiled = replace(compiled, sql=wrap(compiled.sql))
        _cache[key] = compiled
    return alias, compiled


def _params(alias: str, compiled: _Compiled, user_pk: int, today: date) -> list:
    ops = connections[alias].ops
    params = list(compiled.params)
    for position, slot in compiled.slots:
        if slot == "user":
            value = user_pk
        else:
            value = ops.adapt_datefield_value(today + timedelta(days=slot))
        original = compiled.params[position]
        if isinstance(original, int) and type(original) is not int:
            value = type(original)(value)  # keep psycopg's Int4 and kin
        params[position] = value
    return params


def fetch(
    name: str,
    build: Callable[[int, date], QuerySet],
    *,
    user_pk: int,
    today: date = SENTINEL_DAY,
    offsets: tuple[int, ...] = (),
) -> list:
    """Rows of `build(user_pk, today)` (a values() or values_list() queryset),
    as iterating it would give them. `offsets` are the days after `today`
    that the queryset takes as parameters (0 for today itself)."""
    alias, compiled = _prepared(name, build, offsets, None)
    with connections[alias].cursor() as cursor:
        cursor.execute(compiled.sql, _params(alias, compiled, user_pk, today))
        rows = cursor.fetchall()
    if compiled.converters:
        rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
    if compiled.as_dicts:
        return [dict(zip(compiled.names, row, strict=True)) for row in rows]
    return [tuple(row) for row in rows]


def fetch_wrapped(
    name: str,
    build: Callable[[int, date], QuerySet],
    wrap: Callable[[str], str],
    *,
    user_pk: int,
    today: date = SENTINEL_DAY,
    offsets: tuple[int, ...] = (),
) -> list[tuple]:
    """The raw rows of `wrap(sql)`, where `sql` is `build`'s compiled statement
    (say, as a WITH clause that the wrapper aggregates several ways). `wrap`
    adds no parameters of its own; the rows come back as the driver gives
    them (no field converters)."""
    alias, compiled = _prepared(name, build, offsets, wrap)
    with connections[alias].cursor() as cursor:
        cursor.execute(compiled.sql, _params(alias, compiled, user_pk, today))
        return [tuple(row) for row in cursor.fetchall()]

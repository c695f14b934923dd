"""Inserting many rows of one model: one INSERT statement, executemany'd.

bulk_create builds a model instance per row and compiles SQL for every row
(as_sql over each value), which is most of the time of a large import: a
"Your data" file of 20,000 reviews spent 8 of its 13.8 profiled seconds
there. `insert_values` takes plain values by attribute name, fills in each
field's default, converts them as Django would (get_db_prep_save) and sends
one statement over all the rows (on PostgreSQL a COPY). Rows get no primary key back and no signal
is sent, as with bulk_create; save() logic does not run (there is none).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import batched
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

BATCH_SIZE = 2_000


def insert_values(
    model: type[models.Model],
    rows: Iterable[Mapping[str, Any]],
    *,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Insert `rows` (dicts of attribute names, as `user_id`, to values) into
    `model`'s table; a field a row leaves out takes its default, and the
    auto primary key is left to the database. Returns the number of rows."""
    fields = [
        f
        for f in model._meta.local_concrete_fields
        if not isinstance(f, models.AutoField)
    ]
    names = frozenset(f.attname for f in fields)
    defaults = {f.attname: f.get_default() for f in fields if f.has_default()}
    # The connection itself: django.db.connection is a proxy that looks the
    # alias up again on every attribute read (a third of the time here).
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    copy = (
        f"COPY {quote(model._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    )
    count = 0
    with connection.cursor() as cursor:
        for batch in batched(rows, batch_size):
            params = []
            for row in batch:
                unknown = row.keys() - names
                if unknown:
                    raise TypeError(f"{model.__name__} has no field {sorted(unknown)}")
                params.append(
                    [
                        f.get_db_prep_save(
                            row[f.attname]
                            if f.attname in row
                            else _default(f, defaults),
                            connection,
                        )
                        for f in fields
                    ]
                )
            if connection.vendor == "postgresql":
                # COPY: the rows stream in one statement (psycopg adapts each
                # value as for a query), where executemany sends one per row.
                with cursor.cursor.copy(copy) as stream:
                    for values in params:
                        stream.write_row(values)
            else:
                cursor.executemany(sql, params)
            count += len(params)
    return count


def _default(field: models.Field, defaults: dict[str, Any]) -> Any:
    if field.attname in defaults:
        # Evaluated once per call (a list default is the same list on each
        # row, which is harmless: the row is converted before the next).
        return defaults[field.attname]
    if field.null:
        return None
    raise TypeError(
        f"{field.model.__name__}.{field.attname} has no value and no default"
    )

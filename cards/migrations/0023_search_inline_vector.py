"""Keep each question's search vector in its row, and its answer out of it
(issue 16, PostgreSQL only).

A question's prompt, answer and tsvector (migration 0020) come to about 3 kB,
over the 2 kB past which PostgreSQL moves long values to the TOAST table, and
it moved the vector, the largest. Every row a plan tested with `@@` then cost
a TOAST index lookup: counting a word's matches over 10,000 questions read
30,000 buffers (100 ms). STORAGE MAIN makes the vector the last value to leave
the row, so the answer (which browse and search never read) goes instead: the
same count reads 1,200 buffers, and the table's rows stay as narrow as they
were (18 MB at 10,000; keeping whole rows inline instead doubled the table and
every browse's count with it). The UPDATE rewrites the rows already stored.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE cards_question ALTER COLUMN search_vector SET STORAGE MAIN",
    "UPDATE cards_question SET prompt = prompt",
]
BACKWARD = [
    "ALTER TABLE cards_question ALTER COLUMN search_vector SET STORAGE EXTENDED",
    "UPDATE cards_question SET prompt = prompt",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cards", "0022_rollup_log_partial_indexes")]

    operations = [migrations.RunPython(forward, backward)]

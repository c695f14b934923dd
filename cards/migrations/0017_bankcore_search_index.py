"""A GIN expression index for the learners' bank search (PostgreSQL only).

cards/bank/browse.py's SEARCH_VECTOR is the same expression; SQLite searches
with a substring match and gets no index.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS question_search ON cards_question USING GIN "
    "(to_tsvector('english', prompt || ' ' || answer))"
)
DROP = "DROP INDEX IF EXISTS question_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cards", "0016_bankcore_study_stage")]

    operations = [migrations.RunPython(create, drop)]

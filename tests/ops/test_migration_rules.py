"""The expand/contract rule, checked on the project's latest migrations, and
shown to catch a crafted bad migration loaded from disk like a real one."""

import shutil
import textwrap

import pytest

from cards.ops import migration_rules
from tests.paths import ROOT

# Contract steps a release may take on purpose, by migration name, once no
# running server uses what they drop (docs/DEPLOY.md). None yet.
ALLOWED_CONTRACTIONS: frozenset[str] = frozenset()

BAD = """
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cards", "0006_scheduler_state")]
    operations = [
        migrations.AddField("question", "difficulty", models.IntegerField()),
        migrations.AddField("question", "note", models.TextField(null=True)),
        migrations.AlterField("question", "note", models.TextField()),
        migrations.RemoveField("question", "position"),
        migrations.RenameField("question", "prompt", "text"),
        migrations.AddField("question", "ok", models.IntegerField(db_default=0)),
        migrations.AddField("question", "fine", models.BooleanField(default=False)),
        migrations.AddIndex(
            "question", models.Index(fields=["ok"], name="question_ok_idx")
        ),
        migrations.RenameModel("LearnerProfile", "Profile"),
        migrations.DeleteModel("QuestionRevision"),
    ]
"""


def test_migrations_after_0006_only_expand():
    assert migration_rules.check_app("cards", allowed=ALLOWED_CONTRACTIONS) == []


@pytest.fixture
def bad_migrations(tmp_path, monkeypatch, settings):
    """cards' real migrations plus a crafted 0007, as a migrations package."""
    package = tmp_path / "crafted_migrations"
    shutil.copytree(
        ROOT / "cards" / "migrations",
        package,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (package / "0007_crafted_bad.py").write_text(textwrap.dedent(BAD))
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.MIGRATION_MODULES = {"cards": "crafted_migrations"}
    return package


def test_the_rule_catches_a_crafted_bad_migration(bad_migrations):
    found = migration_rules.check_app("cards")
    assert [line.split(": ", 1)[1] for line in found] == [
        "Add field difficulty to question: NOT NULL without a database default (old servers' inserts fail)",
        "Alter field note on question: makes a nullable column NOT NULL",
        "Remove field position from question: drops what running servers still read",
        "Rename field prompt on question to text: renames what running servers still use",
        # A Python default is dropped from the column once it is added.
        "Add field fine to question: NOT NULL without a database default (old servers' inserts fail)",
        "Rename model LearnerProfile to Profile: renames what running servers still use",
        "Delete model QuestionRevision: drops what running servers still read",
    ]
    assert all(line.startswith("cards.0007_crafted_bad: ") for line in found)
    assert (
        migration_rules.check_app("cards", allowed=frozenset({"0007_crafted_bad"}))
        == []
    )

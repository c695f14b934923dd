"""The expand/contract rule for migrations on a live multi-server deployment
(docs/DEPLOY.md): while old and new app servers run side by side, a
migration may only add. No dropped or renamed column or table, no NOT NULL
column without a database default (`db_default`: Django drops a Python-only
`default` from the column once it is added, so an old server's insert, which
omits the column, fails), no nullable column made NOT NULL; those belong to a
later release's contract step, listed by name where the test allows them.
"""

from __future__ import annotations

from django.db import models
from django.db.migrations import Migration, operations
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

# The rule applies to migrations numbered above this (0001-0006 predate it).
FIRST_RULED = 7


# Released before the rule looked for a database default: each adds a NOT NULL
# column with a Python default only. Their rollouts are over (every running
# server knows the columns); they stay as they are.
PYTHON_DEFAULT_ONLY = frozenset(
    {
        "0007_fsrs_scheduler",
        "0009_typed_keypoints",
        "0010_typed_review_answers",
        "0011_defb_theme",
        "0013_defa_pending_day_settings",
        "0015_bankcore_topics",
        "0018_mock_interviews",
        "0019_bankcore_study_stage",
        "0025_plan_new_first",
    }
)


def _has_db_default(field: models.Field) -> bool:
    return field.db_default is not models.NOT_PROVIDED


def violations(migration: Migration, state: ProjectState) -> list[str]:
    """What in `migration` breaks the rule; `state` is the project before it."""
    found = []
    app = migration.app_label
    for op in migration.operations:
        where = f"{app}.{migration.name}: {op.describe()}"
        if isinstance(op, operations.RemoveField | operations.DeleteModel):
            found.append(f"{where}: drops what running servers still read")
        elif isinstance(op, operations.RenameField | operations.RenameModel):
            found.append(f"{where}: renames what running servers still use")
        elif isinstance(op, operations.AddField):
            field = op.field
            if not (field.null or field.many_to_many or _has_db_default(field)):
                found.append(
                    f"{where}: NOT NULL without a database default (old servers' "
                    "inserts fail)"
                )
        elif isinstance(op, operations.AlterField):
            model = state.models.get((app, op.model_name_lower))
            old = model.fields.get(op.name) if model else None
            if old is not None and old.null and not op.field.null:
                found.append(f"{where}: makes a nullable column NOT NULL")
        if not isinstance(op, operations.RunPython | operations.RunSQL):
            op.state_forwards(app, state)
    return found


def check_app(app: str, *, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Every violation in `app`'s migrations numbered FIRST_RULED and up."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = []
    for (label, name), migration in sorted(loader.disk_migrations.items()):
        number = name.split("_", 1)[0]
        if label != app or not number.isdigit() or int(number) < FIRST_RULED:
            continue
        if name in allowed or name in PYTHON_DEFAULT_ONLY:
            continue
        state = loader.project_state((label, name), at_end=False)
        found += violations(migration, state)
    return found

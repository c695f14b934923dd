"""manage.py restore_db FILE --yes: replace the database with a backup (make restore).

Stop the app servers first; PostgreSQL restores in one transaction.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from cards.ops import backup as backup_module


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by backup_db."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path)
        parser.add_argument("--database", default=None)
        parser.add_argument(
            "--yes", action="store_true", help="really replace the current data"
        )

    def handle(self, *args, backup: Path, database, yes, **options):
        if not yes:
            raise CommandError("This replaces every row of the database: add --yes.")
        alias = database or backup_module.default_alias()
        connections[alias].close()
        try:
            backup_module.restore(connections[alias].settings_dict, backup)
        except backup_module.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {backup} into the {alias!r} database")

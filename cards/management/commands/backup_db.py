"""manage.py backup_db: a backup of the whole database (make backup).

PostgreSQL: pg_dump's custom format (restore with restore_db or pg_restore).
SQLite: the online backup API, safe while the app is serving.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from cards.ops import backup


class Command(BaseCommand):
    help = "Back the database up to a file (pg_dump -Fc, or SQLite's backup API)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="the backup file to write")
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=Path("backups"),
            help="folder for a time-stamped file when --output is not given",
        )
        parser.add_argument(
            "--database",
            default=None,
            help="alias (default: 'direct' when DATABASE_DIRECT_URL is set)",
        )

    def handle(self, *args, output, output_dir, database, **options):
        db = connections[database or backup.default_alias()].settings_dict
        try:
            if output is None:
                stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
                output = output_dir / f"genai-prep-{stamp}{backup.suffix_for(db)}"
            written = backup.backup(db, output)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        size = written.stat().st_size
        self.stdout.write(f"Backed up to {written} ({size:,} bytes)")

"""manage.py daily_maintenance: prune expired sessions, old login records and
finished task results (cards/ops/maintenance.py says what and how old)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cards.ops import maintenance


class Command(BaseCommand):
    help = "Delete expired sessions, old login-attempt logs and finished task results."

    def handle(self, *args, **options):
        pruned = maintenance.run_daily_maintenance(now=timezone.now())
        self.stdout.write("Deleted:")
        for line in pruned.lines():
            self.stdout.write(f"  {line}")

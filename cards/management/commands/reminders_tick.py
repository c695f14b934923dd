"""Enqueue the reminder digests that are due: run it every few minutes (cron)."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cards.ops import maintenance
from cards.reminders import services


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


class Command(BaseCommand):
    help = (
        "Enqueue every reminder digest due now (one job per batch of learners), "
        "and once a day the daily maintenance. "
        "Run it every 5 minutes from cron or a systemd timer; running it twice "
        "at once, or on two machines, never sends twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=services.BATCH_SIZE, metavar="N"
        )
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            metavar="SECONDS",
            help="Development only (make run): repeat every SECONDS until "
            "interrupted, standing in for cron.",
        )

    def handle(self, *, batch_size: int, every: float, **options) -> None:
        if batch_size < 1:
            self.stderr.write("--batch-size must be at least 1")
            raise SystemExit(2)
        if every <= 0:
            self._once(batch_size, options["verbosity"])
            return
        signal.signal(signal.SIGTERM, _stop)
        try:
            while True:
                self._once(batch_size, options["verbosity"])
                time.sleep(every)
        except KeyboardInterrupt:
            pass

    def _once(self, batch_size: int, verbosity: int) -> None:
        now = timezone.now()
        result = services.tick(now=now, batch_size=batch_size)
        # The same scheduler runs the daily retention (once a day, on a worker).
        if maintenance.schedule_daily(now=now) and verbosity:
            self.stdout.write("maintenance: today's run enqueued")
        if verbosity and (result.picked or verbosity > 1):
            self.stdout.write(
                f"reminders: {result.picked} due, {result.enqueued} enqueued, "
                f"{result.skipped} skipped"
            )

"""Create or refresh the demo learner with a year of simulated history."""

import io
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cards.learner import demo


class Command(BaseCommand):
    help = (
        "Create (or wipe and re-create) the demo learner with about a year of "
        "history, answered day by day through the real scheduler. Development "
        "only: refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off."
        )
        parser.add_argument("--days", type=int, default=365, help="Days of history.")
        parser.add_argument(
            "--questions",
            type=int,
            default=demo.QUESTIONS,
            help="Demo questions to add to the bank (keys demo-000...); 0 uses "
            "the bank as it is.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument("--username", default=demo.USERNAME)
        parser.add_argument("--password", default=demo.PASSWORD)

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates an account with a known password; it runs only "
                "with DJANGO_DEBUG=1, or with --force."
            )
        if not 1 <= options["days"] <= 3650:
            raise CommandError("--days must be between 1 and 3650.")
        if not 0 <= options["questions"] <= 1000:
            raise CommandError("--questions must be between 0 and 1000.")
        call_command("ensure_question_bank", stdout=io.StringIO())
        started = time.perf_counter()
        try:
            result = demo.seed(
                now=timezone.now(),
                days=options["days"],
                questions=options["questions"],
                seed_value=options["seed"],
                username=options["username"],
                password=options["password"],
            )
        except demo.DemoAccountTaken as exc:
            raise CommandError(
                f"A learner named {exc} exists that seed_demo did not create; "
                "choose another name with --username."
            ) from None
        elapsed = time.perf_counter() - started
        counts = ", ".join(f"{n:,} {label}" for label, n in result.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo learner ready in {elapsed:.1f} s: {result.days_studied} study "
                f"days, {counts} ({result.questions_added} demo questions added)."
            )
        )
        self.stdout.write(
            f"Log in as {options['username']} / {options['password']} "
            "and open /progress/."
        )

"""Load the shipped question bank into an empty database; leave edits alone."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from cards.models import Question


class Command(BaseCommand):
    help = (
        "Load fixtures/questions.json (and keypoints.json) if the bank is empty. Safe to run "
        "on every start: existing questions (and admins' edits) are never touched."
    )

    def handle(self, *args: object, **options: object) -> None:
        if Question.objects.exists():
            count = Question.objects.count()
            self.stdout.write(
                f"Question bank already has {count} question(s); left as is."
            )
            return
        call_command("loaddata", "questions", "keypoints", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {Question.objects.count()} questions.")
        )

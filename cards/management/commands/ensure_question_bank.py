"""Load the shipped question bank and packs where missing; leave edits alone."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from cards.bank import services
from cards.models import Question

PACKS = Path(settings.FIXTURE_DIRS[0]) / "packs"


class Command(BaseCommand):
    help = (
        "Load fixtures/questions.json (and keypoints.json) if the bank is empty, "
        "and each pack of fixtures/packs/ none of whose questions is stored yet. "
        "Safe to run on every start: stored questions (and admins' edits) are "
        "never touched."
    )

    def handle(self, *args: object, **options: object) -> None:
        services.ensure_topics()
        if Question.objects.exists():
            count = Question.objects.count()
            self.stdout.write(f"Question bank has {count} question(s); kept as is.")
        else:
            call_command("loaddata", "questions", "keypoints", verbosity=0)
            self.stdout.write(
                self.style.SUCCESS(f"Loaded {Question.objects.count()} questions.")
            )
        for path in sorted(PACKS.glob("*.md")):
            if path.name.isupper() or path.stem.isupper():
                continue  # REVIEW.md and the like are notes, not packs
            created = services.load_pack(path.read_bytes(), now=timezone.now())
            if created:
                self.stdout.write(f"Loaded {created} questions from {path.name}.")

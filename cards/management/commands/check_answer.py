"""Check typed answers against a question's key points; print JSON verdicts."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cards.models import Question
from cards.review import typed


class Command(BaseCommand):
    help = (
        "Read an answer on standard input and print one JSON object with score, "
        "suggested_grade, covered and missed. With --batch, read a JSON list of "
        "answers and print a JSON list of those objects."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--question", required=True, help="the question's key")
        parser.add_argument("--batch", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        key = options["question"]
        question = Question.objects.filter(key=key).first()
        if question is None:
            raise CommandError(f"no question with the key {key!r}")
        if not question.key_points.exists():
            raise CommandError(f"question {key!r} has no key points to check against")
        text = sys.stdin.read()
        if options["batch"]:
            answers = self._answers(text)
        elif not text.strip():
            raise CommandError("no answer on standard input")
        else:
            answers = [text]
            self._check_lengths(answers)
        verdicts = [typed.check_answer(question, a).as_dict() for a in answers]
        out = verdicts if options["batch"] else verdicts[0]
        self.stdout.write(json.dumps(out, ensure_ascii=False))

    def _answers(self, text: str) -> list[str]:
        try:
            answers = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"--batch expects a JSON list of answers: {exc}"
            ) from None
        if not isinstance(answers, list) or not all(
            isinstance(a, str) for a in answers
        ):
            raise CommandError("--batch expects a JSON list of strings")
        if not answers or not all(a.strip() for a in answers):
            raise CommandError("--batch got an empty list or an empty answer")
        self._check_lengths(answers)
        return answers

    def _check_lengths(self, answers: list[str]) -> None:
        for n, answer in enumerate(answers, start=1):
            if len(answer) > typed.MAX_TYPED_CHARS:
                raise CommandError(
                    f"answer {n} has {len(answer):,} characters; at most "
                    f"{typed.MAX_TYPED_CHARS:,}"
                )

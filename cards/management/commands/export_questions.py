"""Export the question bank as Markdown, CSV, JSON or an Anki package."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cards.bank import formats as bank
from cards.bank import services as bank_services

FORMATS = (*bank.FORMATS, "apkg")


class Command(BaseCommand):
    help = (
        "Write every question (retired ones marked inactive) in the seed's "
        "Markdown, CSV or JSON, which import_questions reads back unchanged; or "
        "the active questions as an Anki deck (.apkg)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="markdown")
        parser.add_argument(
            "--output", "-o", type=Path, help="File to write (default: stdout)."
        )

    def handle(self, *args: object, **options: object) -> None:
        fmt, output = options["format"], options["output"]
        try:
            export = bank_services.export(fmt)
        except bank.Unrepresentable as exc:
            raise CommandError(f"Cannot export as {fmt}: {exc}") from None
        if output is None:
            if fmt == "apkg":
                raise CommandError("An Anki package is binary: give --output FILE.")
            self.stdout.write(export.content.decode("utf-8"), ending="")
            return
        output.write_bytes(export.content)
        self.stderr.write(f"Wrote {output} ({len(export.content):,} bytes).")

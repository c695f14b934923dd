"""Import questions from Markdown (the seed's format), CSV or JSON, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cards.bank import conflicts
from cards.bank import formats as bank
from cards.bank import services as bank_services


class Command(BaseCommand):
    help = (
        "Import questions from a Markdown (.md/.txt), CSV or JSON file. Questions "
        "are matched by key (the file's key, else one made from the prompt) and "
        "updated in place; nothing is written if any line is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format",
            choices=bank.FORMATS,
            help="Default: from the file's extension (.md/.markdown/.txt, .csv, .json).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would change and write nothing.",
        )
        parser.add_argument(
            "--on-conflict",
            choices=sorted(conflicts.CHOICES),
            help="For questions changed in the bank since the file's version: "
            "keep the stored question or take the file's. Without it such an "
            "import is refused.",
        )

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        fmt = options["format"] or bank.detect_format(path.name)
        if fmt is None:
            raise CommandError(
                f"{path}: unknown extension; expected .md, .txt, .csv or .json "
                "(or give --format)"
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        try:
            parsed = bank.parse(bank.decode(data), fmt)
            plan = bank_services.import_questions(
                parsed=parsed,
                editor=None,
                now=timezone.now(),
                dry_run=options["dry_run"],
                resolutions=_all(parsed, options["on_conflict"]),
            )
        except conflicts.UnresolvedConflicts as exc:
            lines = [f"  {c.key}: {c.describe()}" for c in exc.conflicts.values()]
            raise CommandError(
                "\n".join(
                    [
                        *lines,
                        "Nothing was imported: give --on-conflict keep or take.",
                    ]
                )
            ) from None
        except bank.BankError as exc:
            lines = [p.describe(str(path)) for p in exc.problems]
            raise CommandError("\n".join([*lines, "Nothing was imported."])) from None
        for repair in plan.repairs:
            self.stdout.write(self.style.WARNING(repair.describe(str(path))))
        for change in plan.changes:
            if change.action == "create":
                self.stdout.write(f"  create  {change.new.key}")
            elif change.action == "update":
                self.stdout.write(
                    f"  update  {change.new.key} ({', '.join(change.fields)})"
                )
        if plan.not_in_file:
            self.stdout.write(
                f"{plan.not_in_file} question(s) in the bank are not in the file "
                "(left as they are)."
            )
        if options["dry_run"]:
            self.stdout.write(f"Dry run: would be {plan.summary()}. Nothing written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported: {plan.summary()}."))


def _all(parsed: bank.ParseResult, choice: str | None) -> dict[str, str]:
    return {q.key: choice for q in parsed.questions} if choice else {}

"""Measure one scale against a running server (started by `python -m bench`)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from bench import run


class Command(BaseCommand):
    help = "Run the load phases against --url and write the figures as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True)
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--learners", type=int, default=8)
        parser.add_argument("--accounts-per-learner", type=int, default=5)
        parser.add_argument("--card-seconds", type=float, default=10.0)
        parser.add_argument("--open-seconds", type=float, default=10.0)
        parser.add_argument("--floor-seconds", type=float, default=5.0)
        parser.add_argument("--review-seconds", type=float, default=120.0)
        parser.add_argument("--progress-requests", type=int, default=30)
        parser.add_argument("--soak", type=float, default=None, metavar="SECONDS")
        parser.add_argument("--no-warm-up", action="store_true")

    def handle(self, *args, **o):
        result = run.run(
            run.Options(
                base_url=o["url"],
                learners=o["learners"],
                accounts_per_learner=o["accounts_per_learner"],
                floor_seconds=o["floor_seconds"],
                review_seconds=o["review_seconds"],
                progress_requests=o["progress_requests"],
                card_seconds=o["card_seconds"],
                open_seconds=o["open_seconds"],
                soak_seconds=o["soak"],
                warm_up=not o["no_warm_up"],
            )
        )
        o["out"].write_text(json.dumps(result, indent=2, default=str))

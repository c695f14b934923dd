"""The labelled answer set (tests/data/labelled_answers.json) and its fixed split.

Each question's answers are shuffled with one fixed seed and cut in halves:
the checker is tuned on `tune` and reported on `held_out` (docs/ANSWERS.md).
"""

from __future__ import annotations

import json
import random
from collections import defaultdict

from tests.paths import DATA

SEED = 15  # the number; never change it after the figures are recorded
BANDS = ("again", "hard", "good")


def load() -> list[dict]:
    return json.loads((DATA / "labelled_answers.json").read_text("utf-8"))


def split(items: list[dict] | None = None) -> tuple[list[dict], list[dict]]:
    items = load() if items is None else items
    by_question: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_question[item["question"]].append(item)
    rng = random.Random(SEED)
    tune, held_out = [], []
    for key in sorted(by_question):
        group = list(by_question[key])
        rng.shuffle(group)
        half = len(group) // 2
        tune += group[:half]
        held_out += group[half:]
    return tune, held_out

"""The labelled answer sets and which one tunes and which one reports.

From the fourth round (docs/ANSWERS.md) the checker is tuned on all 174 old
answers (tests/data/labelled_answers.json, `tune_set`) and reported on the
fresh blind set (tests/data/labelled_answers_fresh.json, `held_out`), written
by another labeller after the old set was used up; a second fresh set, B
(labelled_answers_fresh_b.json, a second labeller), is held out beside it,
and `held_out` is both. `split` is the old
per-question halving with a fixed seed, kept so that the earlier rounds'
figures can be reproduced; its held-out half was scored three times and no
longer holds anything out.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict

from tests.paths import DATA

SEED = 15  # the number; never change it after the figures are recorded
BANDS = ("again", "hard", "good")
FRESH = DATA / "labelled_answers_fresh.json"
FRESH_B = DATA / "labelled_answers_fresh_b.json"


def load() -> list[dict]:
    return json.loads((DATA / "labelled_answers.json").read_text("utf-8"))


def load_fresh(path=FRESH) -> list[dict]:
    return json.loads(path.read_text("utf-8"))


def tune_set() -> list[dict]:
    """What the checker is tuned on: every old answer."""
    return load()


def held_out() -> list[dict]:
    """What the checker is reported on: the fresh sets A and B, never tuned on."""
    return load_fresh(FRESH) + load_fresh(FRESH_B)


def split(items: list[dict] | None = None) -> tuple[list[dict], list[dict]]:
    """The first three rounds' halves of the old set (retired)."""
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

"""The labelled answer sets and which ones tune.

From the eighth round (docs/ANSWERS.md) the checker is tuned on all 1,064
answers that have been scored (`all_answers`, `tune_set`): the 174 old ones
(tests/data/labelled_answers.json, `load`), the fresh sets A and B
(labelled_answers_fresh.json and _fresh_b.json, two labellers), which the
fourth round held out and scored once, set C (labelled_answers_fresh_c.json,
a third labeller), the fifth round's held-out set, set D
(labelled_answers_fresh_d.json, a fourth labeller), the sixth round's, and set
E (labelled_answers_fresh_e.json, a fifth labeller), the seventh round's, each
scored once then. The eighth round's blind set, F (labelled_answers_fresh_f.json,
a sixth labeller), was scored once by the lead on the eighth round's checker
and is held out (`HELD_OUT`): a floor, never tune material. `old_set` is
the fourth round's tune set (174), kept so that its
figures can be reproduced; `split` is the first three rounds' per-question
halving with a fixed seed, likewise.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict

from tests.paths import DATA

SEED = 15  # the number; never change it after the figures are recorded
BANDS = ("again", "hard", "good")
OLD = DATA / "labelled_answers.json"
FRESH = DATA / "labelled_answers_fresh.json"
FRESH_B = DATA / "labelled_answers_fresh_b.json"
FRESH_C = DATA / "labelled_answers_fresh_c.json"
FRESH_D = DATA / "labelled_answers_fresh_d.json"
FRESH_E = DATA / "labelled_answers_fresh_e.json"
FRESH_F = DATA / "labelled_answers_fresh_f.json"
SETS = {
    "old": OLD,
    "A": FRESH,
    "B": FRESH_B,
    "C": FRESH_C,
    "D": FRESH_D,
    "E": FRESH_E,
}  # tune
# Set F (a sixth labeller), scored once on the eighth round's checker: never
# tuned on. The tune and cross-validation tools read SETS only.
HELD_OUT = {"F": FRESH_F}


def load() -> list[dict]:
    return json.loads(OLD.read_text("utf-8"))


def load_fresh(path=FRESH) -> list[dict]:
    return json.loads(path.read_text("utf-8"))


def old_set() -> list[dict]:
    """The fourth round's tune set: every old answer."""
    return load()


def all_answers() -> list[dict]:
    """Every scored answer, each with the name of its set under "set" (old,
    A, B, C, D, E) for leave-one-set-out cross-validation (tests/review/cv.py)."""
    return [
        {**item, "set": name}
        for name, path in SETS.items()
        for item in json.loads(path.read_text("utf-8"))
    ]


def tune_set() -> list[dict]:
    """What the checker is tuned on from the eighth round: all 1,064."""
    return all_answers()


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

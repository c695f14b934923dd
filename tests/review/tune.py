"""The grid search that chose the checker's thresholds, on the tune set only.

    .venv/bin/python -m tests.review.tune                 # lexical and lexical+static
    .venv/bin/python -m tests.review.tune --all           # all 884 (seventh round)
    .venv/bin/python -m tests.review.tune --old           # the 174 old (fourth round)
    .venv/bin/python -m tests.review.tune --onnx M --vocab V   # lexical+MiniLM too

Each answer's evidence (`check.gather`: lexical shares and cosines per point
and sentence) is computed once; the grid then only re-scores it with
`check.score`, the very function the app runs, so the figures here are the
shipped checker's. The rule that picks the winner was fixed before the
held-out half was scored: most agreement minus twice the costly errors (a
costly error is worse than a one-band miss); among equals, the setting whose
neighbours in the grid (one value changed by one step) do best on average, so
that a lucky corner of the grid is not chosen; then the earliest in the grid.
Settings under which the answers of tests/review/properties.py (a complete
answer, an answer to another question, a bare list, an echo of the prompt)
miss their bands are not considered.
The winner goes into `check.SETTINGS`; `python -m tests.review.evaluate`
then reports the held-out half.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
from pathlib import Path

import numpy as np

from cards.review import check, embed
from tests.review.evaluate import seed_points
from tests.review.labelled import BANDS, all_answers, load, split
from tests.review.properties import BANDS as PROPERTIES

GRID = {
    "lexical_cover": (0.6, 0.67, 0.75),
    "semantic_cover": (0.55, 0.6, 0.65, 0.7, 0.75, 0.8),
    "expected_plain": (1, 2),
    "expected_list": (2, 3),
    "wrong_cover": (0.67, 0.75),
    "wrong_own": (0.5, 0.67),
    "wrong_semantic": (0.8, 0.85, 0.9),
    "wrong_penalty": (0.4, 0.6),
    "partial_from": (1.0, 0.8, 0.7),
    "hard_from": (0.15, 0.2, 0.3, 0.4),
    "good_from": (0.7, 0.8, 0.9),
}
CUTS = ("hard_from", "good_from")  # these only move the cut, not the score
COSTLY = {("again", "good"), ("good", "again")}


def evidence(items, matcher):
    bank = seed_points()
    out = []
    for item in items:
        prompt, points = bank[item["question"]]
        out.append(
            (item, check.gather(item["answer"], points, prompt=prompt, matcher=matcher))
        )
    return out


def band(total: float, hard: float, good: float) -> str:
    return "good" if total >= good else "hard" if total >= hard else "again"


def figures(pre, settings: check.Settings) -> tuple[int, int]:
    agree = costly = 0
    for item, ev in pre:
        got = check.band_of(check.score(ev, settings).suggested_grade)
        agree += got == item["band"]
        costly += (item["band"], got) in COSTLY
    return agree, costly


def cell(item: dict) -> tuple[str, str]:
    """An answer's fold cell for the cross-validation: (question, set)."""
    return item["question"], item.get("set", "old")


def search(pre, grid: dict, matcher, by_cell: bool = False) -> dict:
    """(agreement, costly) for every point of the grid, by value indices, that
    gives the answers of tests/review/properties.py their bands; with
    `by_cell`, one (agreement, costly) per (question, set) cell (sorted) instead,
    for the cross-validation (tests/review/cv.py)."""
    bank = seed_points()
    properties = [
        (want, check.gather(text, bank[key][1], prompt=bank[key][0], matcher=matcher))
        for key, text, want in PROPERTIES
    ]
    keys = sorted({cell(item) for item, _ in pre})
    group = np.array([keys.index(cell(item)) for item, _ in pre])
    want = np.array([BANDS.index(item["band"]) for item, _ in pre])
    names = list(grid)
    score_names = [n for n in names if n not in CUTS]
    results = {}
    for idx in itertools.product(*(range(len(grid[n])) for n in score_names)):
        values = {n: grid[n][i] for n, i in zip(score_names, idx, strict=True)}
        settings = check.Settings(**values, hard_from=0.0, good_from=1.0)
        totals = np.array([check.score(ev, settings).score for _, ev in pre])
        fixed = [(w, check.score(ev, settings).score) for w, ev in properties]
        for hi, gi in itertools.product(
            range(len(grid["hard_from"])), range(len(grid["good_from"]))
        ):
            hard, good = grid["hard_from"][hi], grid["good_from"][gi]
            if any(band(total, hard, good) != w for w, total in fixed):
                continue  # the properties come first
            got = (totals >= hard).astype(int) + (totals >= good)
            agree = np.bincount(group[got == want], minlength=len(keys))
            costly = np.bincount(group[np.abs(got - want) == 2], minlength=len(keys))
            full = dict(zip(score_names, idx, strict=True)) | {
                "hard_from": hi,
                "good_from": gi,
            }
            key = tuple(full[n] for n in names)
            if by_cell:
                results[key] = tuple(zip(agree.tolist(), costly.tolist(), strict=True))
            else:
                results[key] = (int(agree.sum()), int(costly.sum()))
    return results


def objective(figure: tuple[int, int]) -> int:
    agree, costly = figure
    return agree - 2 * costly


def neighbours(idx: tuple[int, ...], grid: dict):
    for k, n in enumerate(grid):
        for step in (-1, 1):
            i = idx[k] + step
            if 0 <= i < len(grid[n]):
                yield idx[:k] + (i,) + idx[k + 1 :]


def best(results, grid: dict) -> tuple[tuple[int, ...], tuple[int, int]]:
    def key(idx):
        around = [objective(results.get(j, (0, 99))) for j in neighbours(idx, grid)]
        return (objective(results[idx]), sum(around) / len(around), [-i for i in idx])

    winner = max(results, key=key)
    return winner, results[winner]


def settings_of(idx: tuple[int, ...], grid: dict) -> check.Settings:
    return check.Settings(**{n: grid[n][i] for n, i in zip(grid, idx, strict=True)})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--onnx", type=Path)
    parser.add_argument("--vocab", type=Path)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="all 1,064 answers")
    which.add_argument("--old", action="store_true", help="the 174 old answers")
    args = parser.parse_args()
    # The seventh round tunes on all 884 (`--all`: old, A, B, C, D); `--old` is the
    # fourth round's 174; the bare command the first three rounds' tune half.
    # A round's held-out set is never read here.
    tune = all_answers() if args.all else load() if args.old else split()[0]
    matchers = {"lexical": None, "lexical+static": embed.default().similarities}
    if args.onnx:
        from bench.answer_checker import OnnxMatcher

        matchers = {"lexical+MiniLM-onnx": OnnxMatcher(args.onnx, args.vocab)}
    for name, matcher in matchers.items():
        grid = dict(GRID)
        if matcher is None:
            grid["semantic_cover"] = (2.0,)  # no cosine reaches it
        pre = evidence(tune, matcher)
        results = search(pre, grid, matcher)
        idx, (agree, costly) = best(results, grid)
        chosen = settings_of(idx, grid)
        assert figures(pre, chosen) == (agree, costly)
        print(f"{name}: tune {agree}/{len(tune)}, costly {costly}")
        print(f"  {dataclasses.asdict(chosen)}")
        shipped = figures(pre, check.SETTINGS)
        print(
            f"  check.SETTINGS on the tune set: {shipped[0]}/{len(tune)}, "
            f"costly {shipped[1]}"
        )


if __name__ == "__main__":
    main()

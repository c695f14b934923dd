"""Leave-one-question-out cross-validation of the tune grid.

    .venv/bin/python -m tests.review.cv            # lexical and lexical+static
    .venv/bin/python -m tests.review.cv --fixed    # and check.SETTINGS unchanged
    .venv/bin/python -m tests.review.cv --all      # over all 174 old answers
    .venv/bin/python -m tests.review.cv --onnx M --vocab V   # lexical+MiniLM only
    .venv/bin/python -m tests.review.cv --static FILE.npz    # another static model
    ... --semantic 0.4,0.5,0.6 --wrong-semantic 0.6,0.7      # other cosine cuts

The tune grid's figure on the tune half is optimistic: the grid chose its
winner on those very answers. Here each question of the tune half is scored
with the setting that the grid's own rule (tests/review/tune.py: agreement
minus twice the costly errors, ties by the grid neighbours) picks on the
other nine questions, so that question never chose anything; the ten folds
add up to one figure on the 83 answers that estimates how the grid does on
answers it has not seen. A change to the checker is kept when it raises this
figure (docs/ANSWERS.md), not when it raises the grid's own. The held-out
half is never read here, unless `--all`: from the fourth round the old split
is retired (its held-out half was scored three times) and the tune set is
all 174 old answers; the held-out set is the fresh one
(tests/data/labelled_answers_fresh.json), which this module never reads.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cards.review import check, embed
from tests.review import tune
from tests.review.labelled import load, split


def fold_winner(results: dict, grid: dict, leave: int) -> tuple[int, ...]:
    """The grid's rule applied to every question but `leave`."""

    def objective(idx) -> int:
        per = results.get(idx)
        if per is None:
            return -999
        agree = sum(a for q, (a, _) in enumerate(per) if q != leave)
        costly = sum(c for q, (_, c) in enumerate(per) if q != leave)
        return agree - 2 * costly

    scored = {idx: objective(idx) for idx in results}
    top = max(scored.values())

    def key(idx):
        around = [scored.get(j, -999) for j in tune.neighbours(idx, grid)]
        return (sum(around) / len(around), [-i for i in idx])

    return max((idx for idx, v in scored.items() if v == top), key=key)


def cross_validate(pre, grid: dict, matcher) -> tuple[int, int, list] | None:
    results = tune.search(pre, grid, matcher, by_question=True)
    if not results:
        return None
    keys = sorted({item["question"] for item, _ in pre})
    agree = costly = 0
    chosen = []
    for q in range(len(keys)):
        idx = fold_winner(results, grid, q)
        a, c = results[idx][q]
        agree, costly = agree + a, costly + c
        chosen.append(tune.settings_of(idx, grid))
    return agree, costly, chosen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixed", action="store_true")
    parser.add_argument("--all", action="store_true", help="all 174 old answers")
    parser.add_argument("--onnx", type=Path)
    parser.add_argument("--vocab", type=Path)
    parser.add_argument("--static", type=Path, help="a static model file (.npz)")
    parser.add_argument("--semantic", help="semantic_cover values, comma-separated")
    parser.add_argument("--wrong-semantic", help="wrong_semantic values, likewise")
    args = parser.parse_args()
    half = load() if args.all else split()[0]
    matchers = {"lexical": None, "lexical+static": embed.default().similarities}
    if args.onnx:
        from bench.answer_checker import OnnxMatcher

        matchers = {"lexical+MiniLM-onnx": OnnxMatcher(args.onnx, args.vocab)}
    if args.static:
        matchers = {args.static.name: embed.StaticEmbedder(args.static).similarities}
    for name, matcher in matchers.items():
        grid = dict(tune.GRID)
        for field, values in (
            ("semantic_cover", args.semantic),
            ("wrong_semantic", args.wrong_semantic),
        ):
            if values:
                grid[field] = tuple(float(v) for v in values.split(","))
        if matcher is None:
            grid["semantic_cover"] = (2.0,)
        pre = tune.evidence(half, matcher)
        found = cross_validate(pre, grid, matcher)
        if found is None:
            print(f"{name}: no setting of the grid passes the property answers")
            continue
        agree, costly, chosen = found
        print(
            f"{name}: leave-one-question-out {agree}/{len(half)}, costly {costly}, "
            f"objective {agree - 2 * costly}"
        )
        cuts = sorted({(s.hard_from, s.good_from) for s in chosen})
        print(f"  fold cuts (hard, good): {cuts}")
        if args.fixed:
            a, c = tune.figures(pre, check.SETTINGS)
            print(f"  check.SETTINGS, no refit: {a}/{len(half)}, costly {c}")


if __name__ == "__main__":
    main()

"""Cross-validation of the tune grid: leave one question out, leave one set out.

    .venv/bin/python -m tests.review.cv            # lexical and lexical+static
    .venv/bin/python -m tests.review.cv --fixed    # and check.SETTINGS unchanged
    .venv/bin/python -m tests.review.cv --all      # all 884 (seventh round), both
    .venv/bin/python -m tests.review.cv --old      # the 174 old (fourth round)
    .venv/bin/python -m tests.review.cv --onnx M --vocab V   # lexical+MiniLM only
    .venv/bin/python -m tests.review.cv --static FILE.npz    # another static model
    ... --semantic 0.4,0.5,0.6 --wrong-semantic 0.6,0.7      # other cosine cuts
    ... --const PARTIAL_CREDIT=0.5 --const WRONG_NEAR=None   # other constants

The tune grid's figure on the tune set is optimistic: the grid chose its
winner on those very answers. Leave-one-question-out scores each question with
the setting that the grid's own rule (tests/review/tune.py: agreement minus
twice the costly errors, ties by the grid neighbours) picks on the other nine,
so that question never chose anything; the ten folds add up to one figure.
Leave-one-set-out (with `--all`: the sets old, A, B, C and D, each written by
another labeller) scores each set with the setting the rule picks on the other
four, which is closest to what a new blind set will see: other words, another
labeller. A change to the checker is kept when it raises the objective
(agreement minus twice the costly errors) of both (docs/ANSWERS.md), not when
it raises the grid's own. The bare command is the first three rounds' tune
half. A round's held-out set is never read here.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cards.review import check, embed
from tests.review import tune
from tests.review.labelled import all_answers, load, split


def fold_winner(results: dict, grid: dict, held: set[int]) -> tuple[int, ...]:
    """The grid's rule applied to every cell but those in `held`."""

    def objective(idx) -> int:
        per = results.get(idx)
        if per is None:
            return -999
        agree = sum(a for q, (a, _) in enumerate(per) if q not in held)
        costly = sum(c for q, (_, c) in enumerate(per) if q not in held)
        return agree - 2 * costly

    scored = {idx: objective(idx) for idx in results}
    top = max(scored.values())

    def key(idx):
        around = [scored.get(j, -999) for j in tune.neighbours(idx, grid)]
        return (sum(around) / len(around), [-i for i in idx])

    return max((idx for idx, v in scored.items() if v == top), key=key)


def cross_validate(
    pre, grid: dict, matcher, by: int = 0
) -> tuple[int, int, list] | None:
    """Leave one question out (`by=0`) or one set out (`by=1`): the part of
    the (question, set) cells that makes a fold."""
    return folds(tune.search(pre, grid, matcher, by_cell=True), pre, grid, by)


def folds(results: dict, pre, grid: dict, by: int) -> tuple[int, int, list] | None:
    if not results:
        return None
    cells = sorted({tune.cell(item) for item, _ in pre})
    agree = costly = 0
    chosen = []
    for fold in sorted({c[by] for c in cells}):
        held = {i for i, c in enumerate(cells) if c[by] == fold}
        idx = fold_winner(results, grid, held)
        agree += sum(results[idx][i][0] for i in held)
        costly += sum(results[idx][i][1] for i in held)
        chosen.append(tune.settings_of(idx, grid))
    return agree, costly, chosen


def type_of(module, name: str):
    value = getattr(module, name)
    return float if value is None or isinstance(value, float) else type(value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixed", action="store_true")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="all 1,064 answers")
    which.add_argument("--old", action="store_true", help="the 174 old answers")
    parser.add_argument("--onnx", type=Path)
    parser.add_argument("--vocab", type=Path)
    parser.add_argument("--static", type=Path, help="a static model file (.npz)")
    parser.add_argument("--semantic", help="semantic_cover values, comma-separated")
    parser.add_argument("--wrong-semantic", help="wrong_semantic values, likewise")
    parser.add_argument("--only", choices=["lexical", "lexical+static"])
    parser.add_argument(
        "--const",
        action="append",
        default=[],
        help="NAME=VALUE: a constant of cards.review.check outside the grid "
        "(PARTIAL_CREDIT=0.5, WRONG_NEAR=None), for this run only",
    )
    args = parser.parse_args()
    for pair in args.const:
        name, value = pair.split("=", 1)
        if not hasattr(check, name) or not name.isupper():
            parser.error(f"no constant {name} in cards.review.check")
        setattr(check, name, None if value == "None" else type_of(check, name)(value))
    items = all_answers() if args.all else load() if args.old else split()[0]
    matchers = {"lexical": None, "lexical+static": embed.default().similarities}
    if args.only:
        matchers = {args.only: matchers[args.only]}
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
        pre = tune.evidence(items, matcher)
        results = tune.search(pre, grid, matcher, by_cell=True)
        if not results:
            print(f"{name}: no setting of the grid passes the property answers")
            continue
        kinds = (
            ("leave-one-question-out", "leave-one-set-out")
            if args.all
            else ("leave-one-question-out",)
        )
        for by, kind in enumerate(kinds):
            agree, costly, chosen = folds(results, pre, grid, by)
            print(
                f"{name}: {kind} {agree}/{len(items)}, costly {costly}, "
                f"objective {agree - 2 * costly}"
            )
            cuts = sorted({(s.hard_from, s.good_from) for s in chosen})
            print(f"  fold cuts (hard, good): {cuts}")
        totals = {
            idx: (sum(a for a, _ in per), sum(c for _, c in per))
            for idx, per in results.items()
        }
        idx, (agree, costly) = tune.best(totals, grid)
        print(f"  grid's own figure: {agree}/{len(items)}, costly {costly}")
        if args.fixed:
            a, c = tune.figures(pre, check.SETTINGS)
            print(f"  check.SETTINGS, no refit: {a}/{len(items)}, costly {c}")


if __name__ == "__main__":
    main()

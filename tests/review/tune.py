"""The grid search that chose the checker's thresholds, on the tune half only.

    .venv/bin/python -m tests.review.tune                 # lexical and lexical+static
    .venv/bin/python -m tests.review.tune --onnx M --vocab V   # lexical+MiniLM too
    .venv/bin/python -m tests.review.tune --held-out --one "(0.75, ...)"  # report

Each answer's closeness to each key point (lexical share, cosine) is computed
once; the grid then only re-scores. The winner (most agreement, then fewest
costly errors) went into cards/review/check.py; the held-out half was scored
once, with the winners, for docs/ANSWERS.md.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from cards.review import check, embed
from tests.review.evaluate import seed_points
from tests.review.labelled import split

GRID = {
    "lexical": [0.5, 0.55, 0.6, 0.67, 0.75],
    "semantic": [0.5, 0.55, 0.6, 0.65, 0.7, 0.75],
    "expected_plain": [0, 1, 2],
    "expected_list": [2, 3],
    "wrong_lexical": [0.67, 0.75, 0.85, 1.01],
    "wrong_penalty": [0.2, 0.4, 0.6],
}
HARD = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45)
GOOD = (0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9)


def closeness(items, matcher):
    bank, out = seed_points(), []
    for item in items:
        prompt, points = bank[item["question"]]
        parts = check.sentences(item["answer"])
        stems = [frozenset(check.stem(w) for w in check.words(s)) for s in parts]
        near = check._near_words(points, set().union(*stems))
        ignore = frozenset(check.content_stems(prompt))
        sem = matcher(parts, [p.statement for p in points]) if parts and matcher else []
        rows = []
        for j, p in enumerate(points):
            lex = cos = 0.0
            for i, s in enumerate(parts):
                if p.is_misconception and check._negated(s, p.statement):
                    continue
                lex = max(lex, check._lexical(stems[i], p, ignore, near))
                cos = max(cos, sem[i][j]) if sem else 0.0
            rows.append((p, lex, cos))
        out.append((item, rows, check.is_term_list(item["answer"])))
    return out


def run(pre, lc, sc, ep, el, wc, wp, hard, good):
    agree = costly = 0
    for item, rows, listed in pre:
        pos = [
            (p, lex >= lc or cos >= sc)
            for p, lex, cos in rows
            if not p.is_misconception
        ]
        wrong = [
            p
            for p, lex, cos in rows
            if p.is_misconception and (lex >= wc or cos >= sc + 0.2)
        ]
        musts = [c for p, c in pos if p.is_must]
        plain = [c for p, c in pos if not p.is_must]
        expected = (
            2 * len(musts) + min(ep, len(plain)) if musts else min(el, len(plain))
        )
        score = max(
            0.0, min(1.0, (2 * sum(musts) + sum(plain)) / expected) - wp * len(wrong)
        )
        if listed:
            score = min(
                score, check.LIST_CAP_EXPLAIN if musts else check.LIST_CAP_ENUMERATE
            )
        band = "good" if score >= good else "hard" if score >= hard else "again"
        agree += band == item["band"]
        costly += (item["band"], band) in {("again", "good"), ("good", "again")}
    return agree, costly


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--onnx", type=Path)
    parser.add_argument("--vocab", type=Path)
    parser.add_argument("--held-out", action="store_true")
    parser.add_argument("--one", help="score one setting tuple instead of the grid")
    args = parser.parse_args()
    tune, held_out = split()
    items = held_out if args.held_out else tune
    matchers = {"lexical": None, "lexical+static": embed.default().similarities}
    if args.onnx:
        from bench.answer_checker import OnnxMatcher

        matchers = {
            "lexical+MiniLM-onnx": OnnxMatcher(args.onnx, args.vocab).similarities
        }
    for name, matcher in matchers.items():
        pre = closeness(items, matcher)
        if args.one:
            print(name, run(pre, *eval(args.one)), "of", len(items))  # noqa: S307
            continue
        semantic = GRID["semantic"] if matcher else [2.0]
        results = []
        for lc, sc, ep, el, wc, wp in itertools.product(
            GRID["lexical"], semantic, *list(GRID.values())[2:]
        ):
            for hard, good in itertools.product(HARD, GOOD):
                agree, costly = run(pre, lc, sc, ep, el, wc, wp, hard, good)
                results.append((agree, -costly, (lc, sc, ep, el, wc, wp, hard, good)))
        best = max(results)
        print(f"{name}: best {best[0]}/{len(items)}, costly {-best[1]}: {best[2]}")


if __name__ == "__main__":
    main()

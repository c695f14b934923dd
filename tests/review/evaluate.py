"""Figures of the answer checker on the labelled set (docs/ANSWERS.md).

    .venv/bin/python -m tests.review.evaluate            # the old set's two halves
    .venv/bin/python -m tests.review.evaluate --misses   # and every disagreement
    .venv/bin/python -m tests.review.evaluate --fresh    # sets A and B
    .venv/bin/python -m tests.review.evaluate --set FILE # any labelled file
    .venv/bin/python -m tests.review.evaluate --all      # all 884 tune answers

`--fresh` scores the fresh blind sets A and B (tests/data/labelled_answers_fresh.json
and _fresh_b.json, two labellers), the fourth round's held-out sets and tune
material from the fifth. `--set FILE` scores one labelled file (a JSON list of
items with "question", "band", "category" and "answer"), a round's held-out
set among them (C in the fifth round, D in the sixth): run it on a held-out
set only once, on a committed candidate whose settings are fixed, and record
what it prints in docs/ANSWERS.md. Both print the figures by category too.

Key points come from the shipped fixtures (no database), so the figures are
those of the seed bank as it ships.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from cards.review import check
from tests.paths import ROOT
from tests.review.labelled import BANDS, FRESH, FRESH_B, all_answers, load_fresh, split

FIXTURES = ROOT / "fixtures"


def seed_points() -> dict[str, tuple[str, list[check.Point]]]:
    questions = json.loads((FIXTURES / "questions.json").read_text("utf-8"))
    points = json.loads((FIXTURES / "keypoints.json").read_text("utf-8"))
    by_pk = {q["pk"]: (q["fields"]["key"], q["fields"]["prompt"]) for q in questions}
    out: dict[str, tuple[str, list[check.Point]]] = {
        key: (prompt, []) for key, prompt in by_pk.values()
    }
    for item in sorted(
        points, key=lambda p: (p["fields"]["question"], p["fields"]["order"])
    ):
        f = item["fields"]
        key, _ = by_pk[f["question"]]
        aliases = tuple(a.strip() for a in f["aliases"].split(";") if a.strip())
        out[key][1].append(
            check.Point(
                f["statement"], aliases, f["is_must"], f["is_misconception"], item["pk"]
            )
        )
    return out


def evaluate(items: Sequence[dict], matcher: check.Matcher | None = None) -> dict:
    bank = seed_points()
    confusion: Counter = Counter()
    costly, misses = [], []
    for item in items:
        prompt, points = bank[item["question"]]
        verdict = check.check(item["answer"], points, prompt=prompt, matcher=matcher)
        got = check.band_of(verdict.suggested_grade)
        confusion[(item["band"], got)] += 1
        if got != item["band"]:
            misses.append((item, got, verdict))
        if (item["band"], got) in {("again", "good"), ("good", "again")}:
            costly.append(item)
    agree = sum(n for (want, got), n in confusion.items() if want == got)
    return {
        "answers": len(items),
        "agreement": agree / len(items),
        "confusion": {w: {g: confusion[(w, g)] for g in BANDS} for w in BANDS},
        "costly": len(costly),
        "misses": misses,
    }


def matchers(static: Path | None = None) -> dict[str, check.Matcher | None]:
    from cards.review import embed

    if static:  # another static model file (the eighth round's candidates)
        return {static.name: embed.StaticEmbedder(static).similarities}
    return {"lexical": None, "lexical+static": embed.default().similarities}


def table(figures: dict) -> str:
    rows = ["label \\ checker  " + "  ".join(f"{b:>5}" for b in BANDS)]
    for want in BANDS:
        row = figures["confusion"][want]
        rows.append(f"{want:>15}  " + "  ".join(f"{row[b]:>5}" for b in BANDS))
    return "\n".join(rows)


def by_category(items: Sequence[dict], figures: dict) -> str:
    """Agreement per category of the set, and its costly errors."""
    missed = Counter(item["category"] for item, _, _ in figures["misses"])
    costly = Counter(
        item["category"]
        for item, got, _ in figures["misses"]
        if (item["band"], got) in {("again", "good"), ("good", "again")}
    )
    counts = Counter(item["category"] for item in items)
    return "\n".join(
        f"  {c:>20}: {n - missed[c]}/{n} agree, costly {costly[c]}"
        for c, n in sorted(counts.items())
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--half", choices=["tune", "held-out", "both"], default="both")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--fresh", action="store_true", help="the fresh sets A and B")
    which.add_argument("--set", type=Path, help="one labelled file (JSON), once")
    which.add_argument("--all", action="store_true", help="all 1,064 tune answers")
    parser.add_argument("--static", type=Path, help="a static model file (.npz)")
    args = parser.parse_args()
    by_category_too = args.fresh or args.set or args.all
    if args.set:
        halves = {args.set.stem: load_fresh(args.set)}
    elif args.all:
        halves = {"all": all_answers()}
    elif args.fresh:
        a, b = load_fresh(FRESH), load_fresh(FRESH_B)
        halves = {"fresh A": a, "fresh B": b, "fresh A+B": a + b}
    else:
        tune, old_held_out = split()
        halves = {"tune": tune, "held-out": old_held_out}
    for name, matcher in matchers(args.static).items():
        for half, items in halves.items():
            if args.half not in ("both", half):
                continue
            f = evaluate(items, matcher)
            print(
                f"{name:>15} {half:>8}: agreement {f['agreement']:.1%} of "
                f"{f['answers']}, costly errors {f['costly']}"
            )
            print(table(f))
            if by_category_too:
                print(by_category(items, f))
            if args.misses:
                for item, got, v in f["misses"]:
                    print(
                        f"  [{item['question'][:24]} {item['category']}] want "
                        f"{item['band']} got {got} ({v.score:.2f}) covered={v.covered} "
                        f"wrong={[r.point.statement[:30] for r in v.misconceptions]} "
                        f"list={v.is_term_list}\n     {item['answer'][:160]!r}"
                    )


if __name__ == "__main__":
    main()

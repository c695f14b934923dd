"""A label-free check of the answer checker over the whole bank (docs/ANSWERS.md).

    .venv/bin/python -m tests.review.crosscheck            # every question
    .venv/bin/python -m tests.review.crosscheck --show 20  # and 20 of the failures

Two things any checker must get right, measured on all 178 questions (the seed
and the packs), not only the ten seed questions the labelled sets cover:
- a question's own reference answer, typed back, is suggested Good;
- another question's reference answer, from a topic the question does not
  share, is suggested Again ("an answer to a different question scores low").
It prints the suggested bands of each, and how many of the wrongly passed
answers cover no key point at all (a score from closeness alone). The pairs
come from a fixed seed, so a run is repeatable. Key points come from the
shipped files (no database), with the shipped static matcher.
"""

from __future__ import annotations

import argparse
import os
import random
from collections import Counter

import django

from cards.review import check, embed
from tests.paths import ROOT
from tests.review.evaluate import seed_points

SEED = 20  # never change it after the figures are recorded
PAIRS = 5  # other-topic answers per question


def questions() -> list[tuple[str, str, str, list[check.Point], set[str]]]:
    """(key, prompt, answer, points, topics) for the seed and every pack."""
    from cards.bank import formats as bank  # imports models: after django.setup()

    packs = sorted(p for p in (ROOT / "fixtures" / "packs").glob("*.md"))
    seed = bank.parse_markdown((ROOT / "fixtures" / "seed_keypoints.md").read_text())
    points = seed_points()
    out = [
        (q.key, q.prompt, q.answer, points[q.key][1], set(q.topics or ()))
        for q in seed.questions
    ]
    for path in packs:
        if path.stem == "REVIEW":
            continue
        for q in bank.parse_markdown(path.read_text("utf-8")).questions:
            pts = [
                check.Point(
                    statement=p.statement,
                    aliases=p.aliases,
                    is_must=p.is_must,
                    is_misconception=p.is_misconception,
                )
                for p in q.key_points or ()
            ]
            out.append((q.key, q.prompt, q.answer, pts, set(q.topics or ())))
    return out


def run(show: int = 0) -> dict:
    matcher = embed.default().similarities
    bank_ = questions()
    rng = random.Random(SEED)
    own, other, failures = Counter(), Counter(), []
    for key, prompt, answer, points, topics in bank_:
        verdict = check.check(answer, points, prompt=prompt, matcher=matcher)
        own[check.band_of(verdict.suggested_grade)] += 1
        rivals = [q for q in bank_ if q[0] != key and not q[4] & topics]
        for rival in rng.sample(rivals, min(PAIRS, len(rivals))):
            verdict = check.check(rival[2], points, prompt=prompt, matcher=matcher)
            band = check.band_of(verdict.suggested_grade)
            other[band] += 1
            if band != "again":
                covered = sum(r.covered for r in verdict.points)
                failures.append((key, rival[0], round(verdict.score, 2), covered))
    for failure in failures[:show]:
        print("  passed:", *failure)
    return {
        "questions": len(bank_),
        "own answer": dict(own),
        "other topic's answer": dict(other),
        "passed covering no point": sum(1 for f in failures if f[3] == 0),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_prep.settings")
    django.setup()
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=0)
    for name, value in run(parser.parse_args().show).items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()

"""PURE: the lexical half of the answer checker (`check.py`): how much of a key
point, or of a misconception, a sentence holds in words. Stems, aliases,
typos forgiven by rapidfuzz, the prompt's words ignored (they are no
evidence); the semantic half is `embed.py`. docs/ANSWERS.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from cards.review.wording import REFERRING, content_stems, stem, words

if TYPE_CHECKING:
    from cards.review.check import Point

FUZZY = 88  # rapidfuzz ratio for two stems of 5+ letters to count as one word


def has_word(
    stems: frozenset[str], wanted: str, near: dict[str, frozenset[str]]
) -> bool:
    return wanted in stems or not stems.isdisjoint(near.get(wanted, ()))


def near_words(
    points: Sequence[Point], answer_stems: set[str]
) -> dict[str, frozenset[str]]:
    """For each word of the key points, the answer's words that are a typo of it:
    one vectorised comparison per answer, not one per sentence and point."""
    wanted = sorted(
        {
            w
            for p in points
            for text in (p.statement, *p.aliases)
            for w in content_stems(text)
            if len(w) >= 5
        }
    )
    found = sorted(s for s in answer_stems if len(s) >= 5)
    if not wanted or not found:
        return {}
    scores = process.cdist(wanted, found, scorer=fuzz.ratio, score_cutoff=FUZZY)
    return {
        w: frozenset(found[j] for j in row.nonzero()[0])
        for w, row in zip(wanted, scores, strict=True)
        if row.any()
    }


def lexical_share(
    sentence_stems: frozenset[str],
    point: Point,
    ignore: frozenset[str],
    near: dict[str, frozenset[str]],
) -> float:
    """How much of a key point one sentence holds, the prompt's words not
    counted: 1.0 for an alias."""
    for alias in point.aliases:
        wanted = content_stems(alias) or tuple(stem(w) for w in words(alias))
        # An alias made of the prompt's words only ("pre-trained model" for a
        # question on fine-tuning a pre-trained model) just echoes the question.
        if ignore.issuperset(wanted):
            continue
        if all(has_word(sentence_stems, w, near) for w in wanted):
            return 1.0
    wanted = [s for s in content_stems(point.statement) if s not in ignore]
    if not wanted:
        return 0.0
    return sum(has_word(sentence_stems, w, near) for w in wanted) / len(wanted)


def asserted_share(
    window: frozenset[str],
    point: Point,
    ignore: frozenset[str],
    near: dict[str, frozenset[str]],
    contrast: frozenset[str],
) -> tuple[float, float]:
    """How much of a misconception a sentence and the one before it hold: the
    share of all its content words (the prompt's words are what tell "diffusion
    models use a discriminator" from "GANs use one", and they are often in the
    sentence before: "They generate in one step"), and the share of its own
    words, not the prompt's (without these nothing wrong is said). An alias
    must be there with all its words, "up" and "its" too: "looks up its
    training data" is not "looks like its training data". Nothing counts
    without one of the words that set it apart from the key points
    (`contrast_words`): "attention cost grows quadratically with sequence
    length" shares every word but "linear" with "attention has linear cost"."""
    for alias in point.aliases:
        wanted = tuple(stem(w) for w in words(alias))
        if wanted and all(has_word(window, w, near) for w in wanted):
            return 1.0, 1.0
    wanted = content_stems(point.statement)
    if not wanted or (
        contrast and not any(has_word(window, w, near) for w in contrast)
    ):
        return 0.0, 0.0
    own = [w for w in wanted if w not in ignore]
    share = sum(has_word(window, w, near) for w in wanted) / len(wanted)
    own_share = sum(has_word(window, w, near) for w in own) / len(own) if own else share
    return share, own_share


def contrast_words(point: Point, points: Sequence[Point], ignore: frozenset[str]):
    """A misconception's words that no key point and not the prompt uses."""
    used = set(ignore)
    for p in points:
        if not p.is_misconception:
            for text in (p.statement, *p.aliases):
                used.update(content_stems(text))
    return frozenset(content_stems(point.statement)) - used


def sentence_window(
    parts: Sequence[str],
    stems: Sequence[frozenset[str]],
    i: int,
    ignore: frozenset[str],
) -> frozenset[str]:
    """The words a misconception may be matched on at sentence i: its own, all
    of the sentence before when that one ended in a colon ("Evaluation is easy:
    you measure accuracy"), or the prompt's words of the sentence before when
    this one refers back to them ("They generate in one step")."""
    if not i:
        return stems[i]
    if parts[i - 1].endswith(":"):
        return stems[i] | stems[i - 1]
    if REFERRING.intersection(words(parts[i])):
        return stems[i] | (stems[i - 1] & ignore)
    return stems[i]

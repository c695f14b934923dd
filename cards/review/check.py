"""PURE: a typed answer checked against a question's key points (issue 15).

`check(answer, points, prompt=...)` says for each key point whether the answer
covers it and with which sentence, gives one score in [0, 1] and the SM-2 grade
suggested by that score alone. No Django; the semantic matcher (`embed.py`,
numpy only) is optional and passed in.

How a point is matched: the answer is cut into sentences; a sentence covers a
point when it holds most of the point's content words (stemmed, typos
forgiven, words of the prompt ignored: they are no evidence), or one of its
aliases, or when the matcher finds it close in meaning. Coverage is per point,
so repeating or padding an answer earns nothing. The score is the covered
weight over the weight a complete answer needs (every must point, and up to
`EXPECTED_PLAIN` plain ones); an asserted misconception costs `WRONG_PENALTY`;
an answer that is only a list of terms is capped below an explanation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from rapidfuzz import fuzz, process

MUST_WEIGHT = 2
PLAIN_WEIGHT = 1
# Tuned on the tune half of the labelled set (docs/ANSWERS.md), never the other.
EXPECTED_PLAIN = 1  # plain points beyond the musts that a complete answer names
EXPECTED_LIST = 2  # items a complete answer to a list question names
LEXICAL_COVER = 0.75  # share of a point's content words in one sentence
SEMANTIC_COVER = 0.65  # cosine of a sentence and a point (static embeddings)
WRONG_COVER = 0.75  # lexical share for a misconception
WRONG_SEMANTIC = 0.85  # a misconception needs a closer match than a point
WRONG_PENALTY = 0.4
LIST_CAP_EXPLAIN = 0.3  # a bare list of terms for an "explain" question: Again
LIST_CAP_ENUMERATE = 0.6  # ... for a question that asks for a list: Hard at best
FUZZY = 88  # rapidfuzz ratio for two stems of 5+ letters to count as one word
MAX_ANSWER_CHARS = 5_000

# Score -> SM-2 grade: 0-1 Again, 3 Hard, 4 Good, 5 Easy (one signal, no other).
GRADE_STEPS = ((0.97, 5), (0.9, 4), (0.4, 3), (0.1, 1))

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be
    because been before being below between both but by can could did do does
    doing down during each etc few for from further had has have having he her
    here hers him his how i if in into is it its itself just like me more most
    my no nor not of off on once only or other our out over own same she should
    so some such than that the their them then there these they this those
    through to too under until up us very was we were what when where which
    while who whom why will with would you your yours e g eg ie i.e via
    thing things stuff really basically kind sort lot lots get gets got make
    makes made use used uses using way ways one two many much well""".split()  # noqa: SIM905
)
# A sentence with these denies or contrasts a claim rather than asserting it.
_NEGATIONS = "not no never n't cannot without myth misconception wrong false"
NEGATIONS = frozenset(
    f"{_NEGATIONS} unlike instead rather whereas than compared".split()
)
WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
SENTENCE_RE = re.compile(r"(?<=[.!?;:])\s+|\n+|(?<=\))\s+(?=[A-Z])")
_STEMMER = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Point:
    statement: str
    aliases: tuple[str, ...] = ()
    is_must: bool = False
    is_misconception: bool = False
    id: int | None = None

    @property
    def weight(self) -> int:
        return MUST_WEIGHT if self.is_must else PLAIN_WEIGHT


@dataclass(frozen=True)
class PointResult:
    point: Point
    covered: bool
    sentence: str | None  # the sentence of the answer that covers it
    closeness: float  # of the closest sentence: 1.0 or more covers


@dataclass(frozen=True)
class Verdict:
    score: float
    suggested_grade: int
    points: tuple[PointResult, ...]  # the key points, in order
    misconceptions: tuple[PointResult, ...]  # only those the answer asserts
    is_term_list: bool

    @property
    def covered(self) -> list[str]:
        return [r.point.statement for r in self.points if r.covered]

    @property
    def missed(self) -> list[str]:
        return [r.point.statement for r in self.points if not r.covered]

    def as_dict(self) -> dict:
        return {
            "score": round(self.score, 3),
            "suggested_grade": self.suggested_grade,
            "covered": self.covered,
            "missed": self.missed,
            "misconceptions": [r.point.statement for r in self.misconceptions],
            "sentences": {
                r.point.statement: r.sentence for r in self.points if r.covered
            },
        }


# A matcher: (sentences, texts) -> cosine of each sentence with each text.
Matcher = Callable[[Sequence[str], Sequence[str]], list[list[float]]]


def grade_for(score: float) -> int:
    for floor, grade in GRADE_STEPS:
        if score >= floor:
            return grade
    return 0


def band_of(grade: int) -> str:
    return "good" if grade >= 4 else "hard" if grade == 3 else "again"


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower().replace("\u2019", "'"))


@lru_cache(maxsize=8192)
def content_stems(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(stem(w) for w in words(text) if w not in STOPWORDS))


def sentences(answer: str) -> list[str]:
    parts = (s.strip(" \t-*•") for s in SENTENCE_RE.split(answer.strip()))
    return [s for s in parts if words(s)]


def _has(stems: frozenset[str], wanted: str, near: dict[str, frozenset[str]]) -> bool:
    return wanted in stems or not stems.isdisjoint(near.get(wanted, ()))


def _near_words(
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


def _lexical(
    sentence_stems: frozenset[str],
    point: Point,
    ignore: frozenset[str],
    near: dict[str, frozenset[str]],
) -> float:
    """How much of the point one sentence holds: 1.0 for an alias."""
    for alias in point.aliases:
        wanted = content_stems(alias) or tuple(stem(w) for w in words(alias))
        if wanted and all(_has(sentence_stems, w, near) for w in wanted):
            return 1.0
    # A misconception is matched on all its words: the prompt's words are what
    # tell "diffusion models use a discriminator" from "GANs use one".
    wanted = [
        s
        for s in content_stems(point.statement)
        if point.is_misconception or s not in ignore
    ]
    if not wanted:
        return 0.0
    return sum(_has(sentence_stems, w, near) for w in wanted) / len(wanted)


def is_term_list(answer: str) -> bool:
    """A bare list of terms: three or more fragments, short or without grammar."""
    fragments = [f for f in re.split(r"[,;\n/]|\s-\s", answer) if words(f)]
    if len(fragments) < 3:
        return False
    tokens = words(answer)
    function = sum(1 for t in tokens if t in STOPWORDS)
    short = sum(1 for f in fragments if len(words(f)) <= 4)
    return short / len(fragments) >= 0.8 or function / len(tokens) < 0.12


def _negated(sentence: str, claim: str) -> bool:
    """The sentence denies or contrasts rather than asserts (unless the claim
    itself is a comparison: "faster than GANs")."""
    own = set(words(claim))
    return any(
        (w in NEGATIONS or w.endswith("n't")) and w not in own for w in words(sentence)
    )


def check(
    answer: str,
    points: Sequence[Point],
    *,
    prompt: str = "",
    matcher: Matcher | None = None,
) -> Verdict:
    parts = sentences(answer[:MAX_ANSWER_CHARS])
    stems = [frozenset(stem(w) for w in words(s)) for s in parts]
    ignore = frozenset(content_stems(prompt))
    near = _near_words(points, set().union(*stems))
    semantic: list[list[float]] = []
    if matcher is not None and parts and points:
        semantic = matcher(parts, [p.statement for p in points])
    results: list[PointResult] = []
    for j, point in enumerate(points):
        lexical_cover = WRONG_COVER if point.is_misconception else LEXICAL_COVER
        semantic_cover = WRONG_SEMANTIC if point.is_misconception else SEMANTIC_COVER
        best, where = 0.0, None
        for i, sentence in enumerate(parts):
            if point.is_misconception and _negated(sentence, point.statement):
                continue
            # How close to covering, 1.0 at either threshold.
            closeness = _lexical(stems[i], point, ignore, near) / lexical_cover
            if semantic:
                closeness = max(closeness, semantic[i][j] / semantic_cover)
            if closeness > best:
                best, where = closeness, sentence
        covered = best >= 1.0
        results.append(PointResult(point, covered, where if covered else None, best))
    positive = tuple(r for r in results if not r.point.is_misconception)
    wrong = tuple(r for r in results if r.point.is_misconception and r.covered)
    score = _score(positive, wrong)
    listed = is_term_list(answer)
    if listed:
        enumerate_question = not any(r.point.is_must for r in positive)
        score = min(
            score, LIST_CAP_ENUMERATE if enumerate_question else LIST_CAP_EXPLAIN
        )
    return Verdict(score, grade_for(score), positive, wrong, listed)


def _score(positive: Sequence[PointResult], wrong: Sequence[PointResult]) -> float:
    if not positive:
        return 0.0
    musts = [r for r in positive if r.point.is_must]
    plain = [r for r in positive if not r.point.is_must]
    if musts:
        expected = sum(r.point.weight for r in musts)
        expected += min(EXPECTED_PLAIN, len(plain)) * PLAIN_WEIGHT
    else:
        expected = min(EXPECTED_LIST, len(plain)) * PLAIN_WEIGHT
    got = sum(r.point.weight for r in positive if r.covered)
    score = min(1.0, got / expected) - WRONG_PENALTY * len(wrong)
    return max(0.0, min(1.0, score))

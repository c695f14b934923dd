"""PURE: the words of answers and key points for the checker (check.py):
tokens, Snowball stems, sentences, stopwords, negations, bare lists of terms."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

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
STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    return STEMMER.stemWord(word)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower().replace("\u2019", "'"))


@lru_cache(maxsize=8192)
def content_stems(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(stem(w) for w in words(text) if w not in STOPWORDS))


def sentences(answer: str) -> list[str]:
    parts = (s.strip(" \t-*•") for s in SENTENCE_RE.split(answer.strip()))
    return [s for s in parts if words(s)]


# "Risks: ...", "LoRA: low-rank adapters": a short label, a colon, then text.
LABEL_RE = re.compile(r"(?:^|[.;,(\n])\s*[A-Za-z][\w+-]*(?:\s+[\w+-]+){0,2}\s*:\s+\w")
CLAUSE_WORDS = 6  # a fragment this long is a clause, not a term


def is_term_list(answer: str) -> bool:
    """A bare list of terms: three or more fragments, short or without grammar.
    A terse note is not one: two labelled parts ("Risks: ... Mitigations: ...",
    "GANs: generator vs discriminator"), or a fragment long enough to be a
    clause ("continue training a pretrained model on a small dataset")."""
    fragments = [f for f in re.split(r"[,;\n/]|\s-\s", answer) if words(f)]
    if len(fragments) < 3:
        return False
    if len(LABEL_RE.findall(answer)) >= 2:
        return False
    if any(len(words(f)) >= CLAUSE_WORDS for f in fragments):
        return False
    tokens = words(answer)
    function = sum(1 for t in tokens if t in STOPWORDS)
    short = sum(1 for f in fragments if len(words(f)) <= 4)
    return short / len(fragments) >= 0.8 or function / len(tokens) < 0.12


NEGATION_REACH = 4  # words between a negation and the claim's word it denies


def negated(sentence: str, claim: str) -> bool:
    """The sentence denies or contrasts rather than asserts (unless the claim
    itself is a comparison: "faster than GANs"): a negation within a few words
    of one of the claim's content words. A "not" elsewhere in the sentence
    denies something else ("they're not perfect, but deepfakes are easy to
    spot")."""
    own = set(words(claim))
    wanted = set(content_stems(claim))
    tokens = words(sentence)
    at = [i for i, w in enumerate(tokens) if w not in STOPWORDS and stem(w) in wanted]
    return any(
        (w in NEGATIONS or w.endswith("n't"))
        and w not in own
        and any(abs(i - j) <= NEGATION_REACH for j in at)
        for i, w in enumerate(tokens)
    )


REFERRING = frozenset("it its they them their these this those".split())  # noqa: SIM905


def without(text: str, ignore: frozenset[str]) -> str:
    """The text's content words but the prompt's, for the semantic matcher: a
    sentence that only echoes the question ("supervised learning is
    supervised") is then no closer to a point than any other."""
    return " ".join(
        w for w in words(text) if w not in STOPWORDS and stem(w) not in ignore
    )

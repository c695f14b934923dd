"""PURE (numpy only): static sentence embeddings for the answer checker.

The shipped file `static_model/minilm_static.npz` holds one int8 vector per
WordPiece token of all-MiniLM-L6-v2, distilled by model2vec (see
static_model/PROVENANCE.md; `static_model/build.py` rebuilds it). A sentence's
vector is the mean of its tokens' vectors, normalised: no torch, no network,
about 7 MB in memory. The tokeniser is BERT's uncased WordPiece, here in plain
Python over the same vocabulary.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

MODEL = Path(__file__).resolve().parent / "static_model" / "minilm_static.npz"
MAX_WORD = 100  # BERT: longer words are [UNK]


class StaticEmbedder:
    def __init__(self, path: Path = MODEL) -> None:
        with np.load(path, allow_pickle=False) as data:
            vectors = data["vectors"].astype(np.float32)
            if "scales" in data.files:  # int8 rows; a float16 file has none
                vectors *= data["scales"][:, None]
            tokens = [str(t) for t in data["tokens"]]
        self.vectors = vectors
        self.index = {t: i for i, t in enumerate(tokens) if t}
        self.unknown = self.index.get("[UNK]")

    def _pieces(self, word: str) -> list[int]:
        if len(word) > MAX_WORD:
            return []
        found, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.index:
                    found.append(self.index[piece])
                    break
                end -= 1
            else:
                return []  # BERT maps the whole word to [UNK]; it carries nothing
            start = end
        return found

    @lru_cache(maxsize=16384)  # noqa: B019 - one embedder per process
    def token_ids(self, text: str) -> tuple[int, ...]:
        ids: list[int] = []
        for word in _basic_words(text):
            ids += self._pieces(word)
        return tuple(ids)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.vectors.shape[1]), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self.token_ids(text)
            if ids:
                out[row] = self.vectors[list(ids)].mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    def similarities(
        self, sentences: Sequence[str], texts: Sequence[str]
    ) -> list[list[float]]:
        """Cosine of each sentence with each text (the checker's Matcher)."""
        return (self.embed(sentences) @ self._cached(tuple(texts)).T).tolist()

    @lru_cache(maxsize=1024)  # noqa: B019 - key points are embedded once
    def _cached(self, texts: tuple[str, ...]) -> np.ndarray:
        return self.embed(texts)


def _basic_words(text: str) -> list[str]:
    """BERT's basic tokeniser, uncased: accents stripped, punctuation split off."""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    out: list[str] = []
    for chunk in text.split():
        word = ""
        for char in chunk:
            if _is_punctuation(char):
                if word:
                    out.append(word)
                out.append(char)
                word = ""
            else:
                word += char
        if word:
            out.append(word)
    return out


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


@cache
def default() -> StaticEmbedder:
    return StaticEmbedder()

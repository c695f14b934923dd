"""Speed of the answer checker on 300-word answers, and the MiniLM alternative.

    .venv/bin/python -m bench.answer_checker                  # p95 of the shipped checker
    .venv/bin/python -m bench.answer_checker --onnx DIR/minilm-int8.onnx \\
        --vocab DIR/vocab.txt                                 # + lexical+MiniLM (ONNX)

The ONNX file is the full all-MiniLM-L6-v2 quantised to int8 by
cards/review/static_model/build.py --onnx; it is not shipped, and onnxruntime
is not a dependency (install it by hand to run the comparison). Every sentence
of an answer goes through the model in one padded batch, truncated to
`MAX_TOKENS` tokens per sentence; key-point embeddings are computed once.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from cards.review import check, embed

WORDS = 300
RUNS = 200
MAX_TOKENS = 64  # per sentence; a longer one is cut


def answers_of(words: int = WORDS) -> list[tuple[str, str, list[check.Point]]]:
    """One answer of `words` words per seed question, from its labelled answers."""
    from tests.review.evaluate import seed_points
    from tests.review.labelled import load

    bank = seed_points()
    out = []
    for key, (prompt, points) in bank.items():
        texts = [i["answer"] for i in load() if i["question"] == key and i["answer"]]
        pieces: list[str] = []
        while sum(len(p.split()) for p in pieces) < words:
            pieces.append(texts[len(pieces) % len(texts)])
        text = " ".join(" ".join(pieces).split()[:words])
        out.append((text, prompt, points))
    return out


def timings(
    matcher: check.Matcher | None, runs: int = RUNS
) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds per answer (CPU time is what the checker
    costs; wall time on the shared machine adds the others' load)."""
    cases = answers_of()
    for text, prompt, points in cases:  # warm: model loaded, key points cached
        check.check(text, points, prompt=prompt, matcher=matcher)
    wall, cpu = [], []
    for n in range(runs):
        text, prompt, points = cases[n % len(cases)]
        text = f"{text} ({n})"  # a new answer each time: no cache hit
        start, start_cpu = time.perf_counter(), time.process_time()
        check.check(text, points, prompt=prompt, matcher=matcher)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu


def p95(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


class OnnxMatcher:
    """The checker's Matcher (called as one) on the full model: sentences as
    written, one padded batch per answer, one thread."""

    contextual = True

    def __init__(self, model: Path, vocab: Path) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(model), options)
        tokens = vocab.read_text("utf-8").split("\n")
        self.index = {t: i for i, t in enumerate(tokens) if t}
        self.static = embed.StaticEmbedder.__new__(embed.StaticEmbedder)
        self.static.index = self.index
        self.cls, self.sep = self.index["[CLS]"], self.index["[SEP]"]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = [
            [self.cls, *self.static.token_ids(t)[: MAX_TOKENS - 2], self.sep]
            for t in texts
        ]
        width = max(len(r) for r in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        (hidden,) = self.session.run(
            None,
            {
                "input_ids": ids,
                "attention_mask": mask,
                "token_type_ids": np.zeros_like(ids),
            },
        )
        pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1)[:, None]
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    @lru_cache(maxsize=256)  # noqa: B019 - one per run
    def _points(self, texts: tuple[str, ...]) -> np.ndarray:
        return self.embed(texts)

    def similarities(
        self, sentences: Sequence[str], texts: Sequence[str]
    ) -> list[list[float]]:
        return (self.embed(sentences) @ self._points(tuple(texts)).T).tolist()

    __call__ = similarities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--onnx", type=Path)
    parser.add_argument("--vocab", type=Path)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--static", type=Path, action="append", default=[])
    args = parser.parse_args()
    from tests.review.evaluate import evaluate
    from tests.review.labelled import tune_set

    matchers: dict[str, check.Matcher | None] = {
        "lexical": None,
        "lexical+static": embed.default().similarities,
    }
    if args.onnx:
        matchers["lexical+MiniLM-onnx"] = OnnxMatcher(args.onnx, args.vocab)
    for path in args.static:  # other static model files, each beside the shipped
        matchers[path.name] = embed.StaticEmbedder(path).similarities
    # The tune set only (all 884 from the seventh round): a held-out set is
    # scored on purpose, and recorded in docs/ANSWERS.md, never as a side
    # effect of a benchmark.
    tune = tune_set()
    for name, matcher in matchers.items():
        wall, cpu = timings(matcher, args.runs)
        f = evaluate(tune, matcher)
        print(
            f"{name:>20}: {WORDS}-word answers wall p50 "
            f"{statistics.median(wall):.1f} / p95 {p95(wall):.1f} ms, CPU p50 "
            f"{statistics.median(cpu):.1f} / p95 {p95(cpu):.1f} ms ({len(wall)} "
            f"runs); tune agreement {f['agreement']:.1%}, costly {f['costly']}"
        )


if __name__ == "__main__":
    main()

"""Latency and size summaries of recorded requests (pure functions)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Sample:
    label: str
    status: int
    seconds: float
    body_bytes: int
    header_bytes: int
    queries: int | None
    app_ms: float | None
    db_ms: float | None


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of `values`; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summarize(samples: list[Sample], *, seconds: float | None = None) -> dict:
    """Counts, client-side latency percentiles in ms, queries, bytes, throughput."""
    ok = [s for s in samples if 200 <= s.status < 400]
    ms = [s.seconds * 1000 for s in ok]
    queries = [s.queries for s in ok if s.queries is not None]
    app = [s.app_ms for s in ok if s.app_ms is not None]
    db = [s.db_ms for s in ok if s.db_ms is not None]
    wire = [s.body_bytes + s.header_bytes for s in ok]
    summary = {
        "count": len(samples),
        "ok": len(ok),
        "status_4xx": sum(400 <= s.status < 500 for s in samples),
        "status_5xx": sum(s.status >= 500 for s in samples),
        "p50_ms": _round(percentile(ms, 50)),
        "p95_ms": _round(percentile(ms, 95)),
        "p99_ms": _round(percentile(ms, 99)),
        "max_ms": _round(max(ms) if ms else None),
        "server_p50_ms": _round(percentile(app, 50)),
        "server_p95_ms": _round(percentile(app, 95)),
        "db_p50_ms": _round(percentile(db, 50)),
        "queries_mean": _round(sum(queries) / len(queries)) if queries else None,
        "queries_max": max(queries) if queries else None,
        "body_bytes_mean": round(sum(s.body_bytes for s in ok) / len(ok))
        if ok
        else None,
        "wire_bytes_mean": round(sum(wire) / len(wire)) if wire else None,
        "wire_bytes_max": max(wire) if wire else None,
    }
    if seconds:
        summary["seconds"] = round(seconds, 2)
        summary["per_second"] = round(len(ok) / seconds, 1)
    return summary


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or not b:
        return None
    return round(a / b, 2)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def spread(values) -> dict:
    values = [v for v in values if v is not None]
    if not values:
        return {"median": None, "min": None, "max": None}
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
    }


def verdict(figure: dict, target: float, *, at_least: bool = False) -> str:
    """met only when every round meets the target; a miss inside the spread is
    'not shown', never 'met'."""
    lo, hi = figure.get("min"), figure.get("max")
    if lo is None:
        return "n/a"
    best, worst = (hi, lo) if at_least else (lo, hi)
    meets = (lambda v: v >= target) if at_least else (lambda v: v <= target)
    if meets(worst):
        return "met"
    if not meets(best):
        return "MISSED"
    return "not shown (inside the spread)"

"""The figures issue 12 asks for, measured so that they cannot flatter us.

- Cards, not requests: a card is everything a learner sends for it (reveal and
  grade in the two-request flow, the grade alone in the one-request flow).
- Floor and app interleaved: each of `ROUNDS` rounds measures the one-query
  floor, then the cards, single-threaded (server time per request) and at
  saturation (throughput); ratios are taken within a round, and the report
  gives their median and spread over the rounds.
- Round trips on the wire (bench/wire.py) for a few traced cards, a normal and
  the heavy learner.
- An open-loop phase: cards arrive at a fixed rate (half the measured
  capacity), and latency counts from the arrival, so queueing is not hidden.
- The progress page at 30, 90 and 365 days, for a normal and the heavy learner.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from typing import TYPE_CHECKING

from bench import cpu, stats
from bench.stats import spread, verdict  # noqa: F401 (re-exported)
from bench.walker import (  # noqa: F401 (re-exported)
    TYPED,
    CardResult,
    Pool,
    Walker,
    django_ms,
    open_pages,
)

if TYPE_CHECKING:  # bench.client needs aiohttp, which make test does not install
    from bench import client

ROUNDS = 3
FLOOR_QUERY = "/bench/floor/query/"
SPANS = (30, 90, 365)


async def _floor_sequential(session: client.Session, count: int, bank: int):
    server, seconds = [], []
    for i in range(count):
        start = time.perf_counter()
        r = await session.send(None, "GET", f"{FLOOR_QUERY}?id={i % bank + 1}")
        seconds.append(time.perf_counter() - start)
        server.append(django_ms(r) or 0.0)
    return server, seconds


async def _floor_saturated(sessions, seconds: float, bank: int) -> float:
    counter = [0]
    deadline = time.monotonic() + seconds

    async def run(session, offset):
        i = offset
        while time.monotonic() < deadline:
            r = await session.send(None, "GET", f"{FLOOR_QUERY}?id={i % bank + 1}")
            counter[0] += r.status == 200
            i += len(sessions)

    start, before = time.perf_counter(), cpu.snapshot()
    await asyncio.gather(*(run(s, k) for k, s in enumerate(sessions)))
    rate = counter[0] / (time.perf_counter() - start)
    return rate, cpu.split(before, cpu.snapshot(), counter[0])


async def _cards_saturated(pool: Pool, workers: int, seconds: float) -> dict:
    results: list[CardResult] = []
    deadline = time.monotonic() + seconds

    async def run():
        while time.monotonic() < deadline:
            r = await pool.card()
            if r is None:
                return
            results.append(r)

    start, before = time.perf_counter(), cpu.snapshot()
    await asyncio.gather(*(run() for _ in range(workers)))
    wall = time.perf_counter() - start
    accepted = [r for r in results if r.accepted]
    return {
        "cpu_ms_per_card": cpu.split(before, cpu.snapshot(), len(accepted)),
        "cards": len(accepted),
        "refused": len(results) - len(accepted),
        "seconds": round(wall, 2),
        "cards_per_second": round(len(accepted) / wall, 1) if wall else None,
        "p95_ms": _ms(stats.percentile([r.seconds for r in accepted], 95)),
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


def _median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


async def _accepted(next_card, cards: int) -> list[CardResult]:
    """Up to `cards` cards one after another (fewer if the queue ends): the
    accepted ones."""
    done = []
    for _ in range(cards):
        r = await next_card()
        if r is None:
            break
        if r.accepted:
            done.append(r)
    return done


async def _round(
    number,
    sessions: list[client.Session],
    pool: Pool,
    *,
    bank: int,
    floor_requests: int,
    single_cards: int,
    floor_seconds: float,
    card_seconds: float,
) -> dict:
    """One round: the floor, then cards; its ratios are its own."""
    floor_server, floor_client = await _floor_sequential(
        sessions[0], floor_requests, bank
    )
    singles = await _accepted(pool.card, single_cards)
    floor_rps, floor_cpu = await _floor_saturated(sessions, floor_seconds, bank)
    saturated = await _cards_saturated(pool, len(sessions), card_seconds)
    floor_ms = _median(floor_server)
    card_ms = _median([r.server_ms for r in singles])
    return {
        "round": number,
        "floor_server_ms_p50": floor_ms,
        "floor_client_ms_p50": _ms(statistics.median(floor_client)),
        "floor_per_second": round(floor_rps, 1),
        "floor_cpu_ms_per_request": floor_cpu,
        "single_cards": len(singles),
        "card_server_ms_p50": card_ms,
        "card_requests_mean": _median([r.requests for r in singles]),
        "card_client_ms_p50": _ms(stats.percentile([r.seconds for r in singles], 50)),
        "saturated": saturated,
        "card_over_floor": stats.ratio(card_ms, floor_ms),
        "cards_over_floor_rps": stats.ratio(saturated["cards_per_second"], floor_rps),
    }


async def warm_up(sessions: list[client.Session], pool: Pool, **kwargs) -> dict:
    """A round whose figures are printed but not counted: every worker has
    prepared its statements on its connection and rendered the Markdown of the
    questions the learners will see, as a server that has been up for a minute
    has. The cold figures stay in the report (`warm-up` line), so what a freshly
    started worker costs is still visible."""
    return await _round("warm-up", sessions, pool, **kwargs)


async def interleaved_rounds(
    sessions: list[client.Session],
    pool: Pool,
    *,
    rounds: int = ROUNDS,
    **kwargs,
) -> list[dict]:
    """Floor, then cards, `rounds` times; each round's ratios are its own."""
    return [
        await _round(number, sessions, pool, **kwargs)
        for number in range(1, rounds + 1)
    ]


async def open_loop(pool: Pool, *, rate: float, seconds: float, seed: int) -> dict:
    """Cards arriving as a Poisson process at `rate` per second; each card's
    latency runs from its arrival, so time spent waiting for a free learner or
    a busy server counts (no coordinated omission).

    Each accepted card's latency is also cut in three (`parts`, p50 and p95 of
    each): `client_wait` from its arrival until its request left (this
    process's event loop busy with other cards), `server` Django's own time
    (Server-Timing), and `between`, the rest of the request as the client saw
    it (waiting for a free gunicorn worker, gunicorn's own work, the network)
    plus reading and parsing the response."""
    rng = random.Random(f"{seed}:open-loop")
    latencies: list[float] = []
    parts: dict[str, list[float]] = {"client_wait": [], "server": [], "between": []}
    refused = [0]
    tasks = []
    start = time.perf_counter()

    async def one(arrival: float):
        r = await pool.card()
        if r is None:
            return
        if r.accepted:
            latency = time.perf_counter() - arrival
            latencies.append(latency)
            wait = max(0.0, r.started - arrival)
            parts["client_wait"].append(wait)
            parts["server"].append(r.server_ms / 1000)
            parts["between"].append(max(0.0, latency - wait - r.server_ms / 1000))
        else:
            refused[0] += 1

    t = 0.0
    while t < seconds:
        t += rng.expovariate(rate)
        delay = start + t - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(start + t)))
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - start
    return {
        "rate": round(rate, 1),
        "seconds": round(wall, 1),
        "arrivals": len(tasks),
        "cards": len(latencies),
        "refused": refused[0],
        "ran_out": pool.ran_out,
        "p50_ms": _ms(stats.percentile(latencies, 50)),
        "p95_ms": _ms(stats.percentile(latencies, 95)),
        "p99_ms": _ms(stats.percentile(latencies, 99)),
        "parts": {
            name: {
                "p50_ms": _ms(stats.percentile(values, 50)),
                "p95_ms": _ms(stats.percentile(values, 95)),
            }
            for name, values in parts.items()
        },
    }


async def round_trips(walker: Walker, cards: int) -> dict:
    """Traced cards, one after another: round trips per card and per request."""
    traced = []
    for _ in range(cards):
        r = await walker.card(trace=True)
        if r is None:
            break
        if r.accepted and r.round_trips is not None:
            traced.append(r)
    trips = [r.round_trips for r in traced]
    labels = dict.fromkeys(label for r in traced for label in r.per_request)
    return {
        "cards": len(traced),
        "per_request_max": {
            label: max(r.per_request.get(label, 0) for r in traced) for label in labels
        },
        "per_card_max": max(trips) if trips else None,
        "per_card_median": _median(trips),
        "requests_per_card": _median([r.requests for r in traced]),
        "example": traced[-1].wire if traced else [],
    }


async def paired_cards(heavy: Walker, pool: Pool, cards: int) -> dict:
    """The heavy learner's cards one after another, each followed by a normal
    learner's from the pool: their ratio compares cards timed alike."""
    done, normal = [], []
    for _ in range(cards):
        r = await heavy.card()
        if r is None:
            break
        if r.accepted:
            done.append(r)
        other = await pool.card()
        if other is not None and other.accepted:
            normal.append(other)
    return {
        "cards": len(done) + len(normal),
        "card_server_ms_p50": _median([r.server_ms for r in done]),
        "normal_card_server_ms_p50": _median([r.server_ms for r in normal]),
        # Each card as (server ms, of which SQL ms, statements, first answer):
        # what the two sides' cards were, not only their medians.
        "heavy": [_card(r) for r in done],
        "normal": [_card(r) for r in normal],
    }


def _card(r: CardResult) -> list:
    return [round(r.server_ms, 2), round(r.db_ms, 2), r.queries, r.is_new]


async def progress_spans(sessions: dict[str, client.Session], requests: int) -> dict:
    """The progress page at each span for each learner: client p50/p95 and
    server p50, in ms. Requests alternate between the learners, so a burst of
    load from elsewhere hits each alike and their ratios compare like with like."""
    out: dict[str, dict] = {name: {} for name in sessions}
    for span in SPANS:
        url = f"/progress/?days={span}"
        for session in sessions.values():
            for _ in range(2):
                await session.send(None, "GET", url)  # warm-up
        client_s = {name: [] for name in sessions}
        server = {name: [] for name in sessions}
        last = {}
        for _ in range(requests):
            for name, session in sessions.items():
                start = time.perf_counter()
                r = await session.send(None, "GET", url)
                client_s[name].append(time.perf_counter() - start)
                server[name].append(django_ms(r) or 0.0)
                last[name] = r
        for name in sessions:
            r = last[name]
            out[name][str(span)] = {
                "p50_ms": _ms(stats.percentile(client_s[name], 50)),
                "p95_ms": _ms(stats.percentile(client_s[name], 95)),
                "server_p50_ms": _median(server[name]),
                "wire_bytes": len(r.raw),
                "encoding": r.headers.get("content-encoding", "identity"),
            }
    return out


async def progress_tabs(tabs: list[client.Session], seconds: float) -> dict:
    """The heavy learner's 365-day page in several tabs at once."""
    latencies: list[float] = []
    deadline = time.monotonic() + seconds

    async def run(tab):
        while time.monotonic() < deadline:
            start = time.perf_counter()
            r = await tab.send(None, "GET", "/progress/?days=365")
            if r.status == 200:
                latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(run(t) for t in tabs))
    return {
        "tabs": len(tabs),
        "requests": len(latencies),
        "p50_ms": _ms(stats.percentile(latencies, 50)),
        "p95_ms": _ms(stats.percentile(latencies, 95)),
    }

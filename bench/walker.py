"""The benchmark's learners (bench/rounds.py): a `Walker` works through one
learner's queue a card at a time, as the browser would (the self-graded card
in one request; typed answers, mocks and confidence-first in two), a `Pool`
hands walkers out to the phases, and `open_pages` loads every walker's review
page before the rounds so that no timed card pays for it.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bench import html
from bench.kinds import choose_grade, classify

if TYPE_CHECKING:  # bench.client needs aiohttp, which make test does not install
    from bench import client

_TIMING = re.compile(r"(\w+);dur=([\d.]+)")


def django_ms(response: client.Response, part: str = "app") -> float | None:
    """Server-Timing's `app` (Django's own time) or `db` (waiting for SQL)."""
    timing = dict(_TIMING.findall(response.headers.get("server-timing", "")))
    return float(timing[part]) if part in timing else None


# What the typed-answer learner types (the checker scores it; any text will do).
TYPED = "Self-attention lets every token weigh every other token of the input."


@dataclass
class CardResult:
    seconds: float  # client: first request sent to last byte of the last
    server_ms: float  # Django's own time, summed over the card's requests
    requests: int
    accepted: bool
    round_trips: int | None = None  # on the wire, when traced
    wire: list[str] = field(default_factory=list)
    per_request: dict[str, int] = field(default_factory=dict)  # label: trips
    started: float = 0.0  # perf_counter when its first request was sent
    db_ms: float = 0.0  # of server_ms, the statements' (Server-Timing db)
    queries: int = 0  # statements the server ran for it (X-Bench-Queries)
    is_new: bool = False  # a first answer (the card was shown at version 0)


class Walker:
    """One learner working through its queue a card at a time."""

    def __init__(self, session: client.Session, rng: random.Random, seen: dict):
        self.session = session
        self.rng = rng
        self.seen = seen
        self.page: html.Page | None = None
        self.done = False

    async def _open(self) -> None:
        response = await self.session.send("review page", "GET", "/review/")
        self.page = html.parse(response.text, url=response.url)
        self.session.adopt(self.page, response.url)

    def _actions(self) -> dict[str, list[html.Action]]:
        kinds: dict[str, list[html.Action]] = {}
        for action in self.page.actions if self.page else []:
            kinds.setdefault(classify(action, self.seen) or "", []).append(action)
        return kinds

    async def card(self, *, trace: bool = False) -> CardResult | None:
        """Answer the next card; None when the queue is empty for today."""
        if self.page is None:
            await self._open()
        start = time.perf_counter()
        server_ms, trips, wire, per_request = 0.0, 0, [], {}
        db_ms, queries = 0.0, 0
        headers = {"x-bench-trace": "1"} if trace else None
        for requests in range(1, 3):  # reveal (two-request flow), then grade
            kinds = self._actions()
            if kinds.get("grade"):
                action, label = choose_grade(kinds["grade"], self.rng), "grade"
            elif kinds.get("reveal") and requests == 1:
                # A typed answer's check (POST) over its "skip typing" link.
                reveals = sorted(kinds["reveal"], key=lambda a: a.method != "POST")
                action, label = reveals[0], "reveal"
            else:
                self.done = True
                return None
            data = action.fields
            if label == "reveal" and action.method == "POST":
                # The typed-answer flow: the check carries what was typed.
                data = {**data, "typed": data.get("typed") or TYPED}
            response = await self.session.send(
                label,
                action.method,
                action.url,
                data=data,
                htmx=True,
                target=action.target,
                headers=headers,
            )
            server_ms += django_ms(response) or 0.0
            db_ms += django_ms(response, "db") or 0.0
            queries += int(response.headers.get("x-bench-queries", 0))
            if "x-bench-round-trips" in response.headers:
                trips += int(response.headers["x-bench-round-trips"])
                per_request[label] = int(response.headers["x-bench-round-trips"])
                wire.append(f"{label}: {response.headers.get('x-bench-wire', '')}")
            if response.status != 200:
                self.page = None  # 409 and the like: start again from the page
                return CardResult(
                    time.perf_counter() - start,
                    server_ms,
                    requests,
                    False,
                    started=start,
                )
            self.page = html.parse(response.text, url=self.session.current_url)
            self.session.adopt(self.page)
            if label == "grade":
                return CardResult(
                    time.perf_counter() - start,
                    server_ms,
                    requests,
                    True,
                    trips if trace else None,
                    wire,
                    per_request,
                    started=start,
                    db_ms=db_ms,
                    queries=queries,
                    is_new=action.fields.get("version") == "0",
                )
        return None


async def open_pages(walkers: list[Walker], *, concurrency: int = 2) -> None:
    """Load every walker's review page before anything is timed. A walker
    opens its page on its first card otherwise, and the pool hands walkers out
    in turn, so the first few hundred cards of a run (the warm-up and much of
    round 1, at 40 accounts a learner) each carried a whole /review/ page,
    ten times a card's server time."""
    gate = asyncio.Semaphore(concurrency)

    async def one(walker: Walker) -> None:
        async with gate:
            await walker._open()

    await asyncio.gather(*(one(w) for w in walkers))


class Pool:
    """Walkers handed out one at a time; an empty queue retires its walker."""

    def __init__(self, walkers: list[Walker]) -> None:
        self.idle: asyncio.Queue[Walker] = asyncio.Queue()
        for w in walkers:
            self.idle.put_nowait(w)
        self.ran_out = False

    async def card(self, **kwargs) -> CardResult | None:
        while True:
            try:
                walker = self.idle.get_nowait()
            except asyncio.QueueEmpty:
                self.ran_out = True
                return None
            result = await walker.card(**kwargs)
            if result is not None:
                self.idle.put_nowait(walker)
                return result

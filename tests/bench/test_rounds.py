"""The open loop cuts each card's latency into the client's wait, the server's
time and the rest (bench/rounds.open_loop)."""

import asyncio
import random
import time
from concurrent.futures import ThreadPoolExecutor

from bench import rounds


def _run(coroutine):
    """asyncio.run in a thread of its own: a browser test before this one in
    the same worker leaves Playwright's event loop running in the main thread,
    where asyncio.run refuses to start another."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class _Pool:
    """Cards that take 20 ms in all, 4 ms of it Django's, after a 10 ms wait
    for this process's event loop."""

    ran_out = False

    async def card(self):
        await asyncio.sleep(0.010)
        started = time.perf_counter()
        await asyncio.sleep(0.010)
        return rounds.CardResult(
            seconds=0.010, server_ms=4.0, requests=1, accepted=True, started=started
        )


def test_the_open_loop_reports_the_parts_of_a_cards_latency():
    result = _run(rounds.open_loop(_Pool(), rate=50, seconds=0.4, seed=1))
    parts = result["parts"]
    assert result["cards"] == result["arrivals"] > 0
    assert parts["server"]["p50_ms"] == 4.0
    assert 10 <= parts["client_wait"]["p50_ms"] < 16
    assert 6 <= parts["between"]["p50_ms"] < 12
    total = sum(parts[name]["p50_ms"] for name in parts)
    assert abs(total - result["p50_ms"]) < 3


class _Session:
    """A learner's browser that answers /review/ with one grade form and a
    grade with the next card."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.current_url = "http://h/review/"

    async def send(self, label, method, url, **kwargs):
        self.sent.append(f"{method} {url}")
        body = (
            "<form hx-post='/review/1/grade/'><input name=version value=1>"
            "<button name=grade value=4>Good</button></form>"
        )
        return type(
            "R",
            (),
            {"text": body, "url": "http://h/review/", "status": 200, "headers": {}},
        )()

    def adopt(self, page, url=None) -> None:
        pass


def test_pages_are_opened_before_the_first_card_is_timed(db):
    sessions = [_Session() for _ in range(5)]
    walkers = [rounds.Walker(s, random.Random(k), {}) for k, s in enumerate(sessions)]
    _run(rounds.open_pages(walkers))
    assert all(s.sent == ["GET /review/"] for s in sessions)
    result = _run(walkers[0].card())
    assert result.accepted and result.requests == 1
    assert sessions[0].sent == ["GET /review/", "POST http://h/review/1/grade/"]

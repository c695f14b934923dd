"""Simulated learners over HTTP: an aiohttp session each, speaking htmx.

Every request is timed from sending to the last body byte and recorded with
its status, bytes on the wire (compressed, as served; headers counted apart)
and the server's X-Bench-Queries and Server-Timing headers. Bodies are read
raw and decompressed here, so the byte counts are what crossed the socket.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp

from bench import html
from bench.kinds import choose_grade
from bench.stats import Sample

BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # what Chromium advertises
PAGE_ENCODINGS = "gzip, deflate"  # what this client can decode
TRANSPORT_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError)
_TIMING = re.compile(r"(\w+);dur=([\d.]+)")


@dataclass
class Response:
    status: int
    url: str
    headers: dict[str, str]
    raw: bytes
    header_bytes: int

    @property
    def text(self) -> str:
        encoding = self.headers.get("content-encoding", "")
        body = self.raw
        if encoding == "gzip":
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        return body.decode("utf-8", "replace")


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, label: str, response: Response, seconds: float) -> None:
        timing = dict(_TIMING.findall(response.headers.get("server-timing", "")))
        queries = response.headers.get("x-bench-queries")
        self.samples.append(
            Sample(
                label=label,
                status=response.status,
                seconds=seconds,
                body_bytes=len(response.raw),
                header_bytes=response.header_bytes,
                queries=int(queries) if queries else None,
                app_ms=float(timing["app"]) if "app" in timing else None,
                db_ms=float(timing["db"]) if "db" in timing else None,
            )
        )
        if response.status >= 500:
            self.errors.append(f"{response.status} {label} {response.url}")

    def of(self, label: str) -> list[Sample]:
        return [s for s in self.samples if s.label == label]


class Session:
    """One learner's browser: cookies, the CSRF token, htmx request headers."""

    def __init__(self, base_url: str, recorder: Recorder) -> None:
        self.base_url = base_url.rstrip("/")
        self.recorder = recorder
        self.csrf_token: str | None = None
        self.current_url = self.base_url + "/"
        self.http = aiohttp.ClientSession(
            # unsafe: accept cookies from an IP address (127.0.0.1)
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            auto_decompress=False,
            timeout=aiohttp.ClientTimeout(total=60),
            headers={"user-agent": "bench"},
        )

    async def close(self) -> None:
        await self.http.close()

    def share_cookies(self, other: Session) -> None:
        self.http.cookie_jar.update_cookies(
            {c.key: c.value for c in other.http.cookie_jar}
        )

    async def fetch(
        self, method: str, url: str, *, encodings: str = PAGE_ENCODINGS, **kwargs
    ) -> Response:
        headers = {"accept-encoding": encodings, **kwargs.pop("headers", {})}
        async with self.http.request(
            method,
            self.base_url + url if url.startswith("/") else url,
            headers=headers,
            allow_redirects=False,
            **kwargs,
        ) as r:
            raw = await r.read()
            return Response(
                status=r.status,
                url=str(r.url),
                headers={k.lower(): v for k, v in r.headers.items()},
                raw=raw,
                header_bytes=len(b"HTTP/1.1 200 OK\r\n")
                + sum(len(k) + len(v) + 4 for k, v in r.raw_headers)
                + 2,
            )

    async def send(
        self,
        label: str | None,
        method: str,
        url: str,
        *,
        data: dict | None = None,
        htmx: bool = False,
        target: str | None = None,
        headers: dict | None = None,
    ) -> Response:
        extra = dict(headers or {})
        if htmx:
            extra.update({"hx-request": "true", "hx-current-url": self.current_url})
            if target:
                extra["hx-target"] = target
        if method == "POST" and self.csrf_token:
            extra["x-csrftoken"] = self.csrf_token
        kwargs = {"data": data} if method == "POST" else {"params": data or None}
        start = time.perf_counter()
        try:
            response = await self.fetch(method, url, headers=extra, **kwargs)
        except TRANSPORT_ERRORS as e:
            self.recorder.errors.append(f"{label}: {type(e).__name__} {e}")
            raise
        seconds = time.perf_counter() - start
        if label:
            self.recorder.add(label, response, seconds)
        return response

    async def login(self, username: str, password: str) -> float:
        """Log in through the login form; returns the POST's seconds (untimed loop)."""
        page = await self.send(None, "GET", "/accounts/login/")
        token = html.parse(page.text, url=page.url).csrf_token
        start = time.perf_counter()
        response = await self.send(
            None,
            "POST",
            "/accounts/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token or "",
            },
            headers={"referer": f"{self.base_url}/accounts/login/"},
        )
        if response.status != 302:
            raise RuntimeError(f"login of {username} failed: {response.status}")
        return time.perf_counter() - start

    def adopt(self, page: html.Page, url: str | None = None) -> None:
        if page.csrf_token:
            self.csrf_token = page.csrf_token
        if url:
            self.current_url = url


@dataclass
class QueueResult:
    missing: str | None = None  # the endpoint that is not there yet
    accepted: int = 0
    conflicts: int = 0
    failures: int = 0
    finished: bool = False


async def work_queue(
    session: Session,
    classify: Callable[[html.Action], str | None],
    rng: random.Random,
    *,
    deadline: float,
    max_steps: int = 3_000,
) -> QueueResult:
    """Load /review/, then reveal and grade with htmx until nothing is left."""
    result = QueueResult()
    response = await session.send("review page", "GET", "/review/")
    if response.status == 404:
        result.missing = "/review/ (cards:review)"
        return result
    if response.status != 200:
        result.failures += 1
        return result
    page = html.parse(response.text, url=response.url)
    session.adopt(page, response.url)
    for _ in range(max_steps):
        if time.monotonic() > deadline:
            return result
        kinds: dict[str, list[html.Action]] = {}
        for action in page.actions:
            kinds.setdefault(classify(action) or "", []).append(action)
        if kinds.get("grade"):
            action = choose_grade(kinds["grade"], rng)
            label = "grade"
        elif kinds.get("reveal"):
            action = kinds["reveal"][0]
            label = "reveal"
        else:
            result.finished = True
            return result
        response = await session.send(
            label,
            action.method,
            action.url,
            data=action.fields,
            htmx=True,
            target=action.target,
        )
        if response.status == 200:
            result.accepted += label == "grade"
            page = html.parse(response.text, url=session.current_url)
            session.adopt(page)
            continue
        if response.status == 409:
            result.conflicts += 1
        else:
            result.failures += 1
            if result.failures > 5:
                return result
        # Start again from the page as it is now.
        response = await session.send(None, "GET", "/review/")
        page = html.parse(response.text, url=response.url)
        session.adopt(page)
    return result


async def closed_loop(
    sessions: list[Session],
    label: str,
    url: Callable[[int], str],
    *,
    seconds: float,
    htmx: bool = False,
) -> None:
    """Each session requests `url(i)` back to back for `seconds`."""
    deadline = time.monotonic() + seconds

    async def run(session: Session, offset: int) -> None:
        i = offset
        while time.monotonic() < deadline:
            try:
                await session.send(label, "GET", url(i), htmx=htmx)
            except TRANSPORT_ERRORS:
                await asyncio.sleep(0.05)  # recorded; a dead server ends the phase
            i += len(sessions)

    await asyncio.gather(*(run(s, k) for k, s in enumerate(sessions)))


async def weight_of_first_load(session: Session, path: str) -> dict:
    """Bytes on the wire for a first visit: the page, then its CSS, JS and icons,
    fetched as Chromium would (gzip, br and zstd accepted)."""
    parts = []
    response = await session.fetch("GET", path)
    page = html.parse(response.text, url=response.url)
    parts.append(_part(path, response))
    for asset in dict.fromkeys(page.assets):
        r = await session.fetch("GET", asset, encodings=BROWSER_ENCODINGS)
        parts.append(_part(asset, r))
    return {
        "parts": parts,
        "body_bytes": sum(p["body_bytes"] for p in parts),
        "transfer_bytes": sum(p["body_bytes"] + p["header_bytes"] for p in parts),
    }


def _part(url: str, response: Response) -> dict:
    return {
        "url": urlsplit(url).path,
        "status": response.status,
        "encoding": response.headers.get("content-encoding", "identity"),
        "body_bytes": len(response.raw),
        "header_bytes": response.header_bytes,
    }

"""The invariants `make cluster-check` runs through the balancer: replayed
grades, concurrent grades, a login lockout across servers, a rolling restart
under load; and the figures it prints."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.cluster.stack import BALANCER, METRICS_TOKEN, SERVERS, Stack, url

PASSWORD = "cluster-check-pass-2026"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer here, not something to follow


class Browser:
    """A learner's browser: cookies, CSRF token, no redirect following."""

    def __init__(self, port: int = BALANCER) -> None:
        self.port = port
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def request(self, path: str, data: dict | None = None) -> tuple[int, Any, str]:
        """Status, headers (case-insensitive: haproxy sends them lower-case), body."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"X-CSRFToken": self.cookie("csrftoken")} if data is not None else {}
        req = urllib.request.Request(url(self.port, path), data=body, headers=headers)
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()
        except OSError as error:
            return 0, {}, str(error)

    def log_in(self, username: str, password: str = PASSWORD) -> tuple[int, Any]:
        _, _, page = self.request("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        form = {"username": username, "password": password}
        status, headers, _ = self.request(
            "/accounts/login/",
            form | {"csrfmiddlewaretoken": token[1] if token else ""},
        )
        return status, headers

    def grade(self, question: int, version: int = 0, grade: int = 4) -> tuple[int, str]:
        status, headers, _ = self.request(
            f"/review/{question}/grade/", {"grade": str(grade), "version": str(version)}
        )
        return status, headers.get("X-Served-By", "?")


def logged_in(username: str) -> Browser:
    browser = Browser()
    status, _ = browser.log_in(username)
    if status != 302:
        raise RuntimeError(f"log-in of {username} through the balancer: {status}")
    return browser


# --- the invariants -------------------------------------------------------------


def replay(questions: list[int], figures: dict) -> bool:
    """One grade replayed 20 times across both servers: recorded once."""
    from cards.models import ReviewLog

    learner = logged_in("replay")
    answers = [learner.grade(questions[0]) for _ in range(21)]
    statuses = Counter(status for status, _ in answers)
    rows = ReviewLog.objects.filter(user__username="replay").count()
    servers = sorted({server for _, server in answers})
    figures["replay"] = (
        f"1 grade sent 21 times via {'+'.join(servers)}: {dict(statuses)}; "
        f"{rows} review-log row ({rows - 1} extra)"
    )
    return statuses == {302: 1, 409: 20} and rows == 1 and len(servers) == 2


def concurrent(questions: list[int], figures: dict) -> bool:
    """4 learners grading 30 cards each at once (0 lost), then 3 tabs per
    learner racing on the same 20 cards (each card recorded exactly once)."""
    from cards.models import ReviewLog, ReviewSchedule

    def grade_all(browser: Browser, cards: list[int], barrier) -> list[tuple]:
        barrier.wait(timeout=60)
        return [browser.grade(q) for q in cards]

    learners = [logged_in(f"busy{n}") for n in range(4)]
    barrier = threading.Barrier(4)
    with ThreadPoolExecutor(4) as pool:
        runs = list(
            pool.map(lambda b: grade_all(b, questions[1:31], barrier), learners)
        )
    answers = [a for run in runs for a in run]
    accepted = sum(status == 302 for status, _ in answers)
    stored = ReviewLog.objects.filter(user__username__startswith="busy").count()
    figures["concurrent"] = (
        f"{accepted}/{len(answers)} concurrent grades accepted, {stored} stored, "
        f"{len(answers) - stored} lost; by server "
        f"{dict(Counter(server for _, server in answers))}"
    )
    ok = accepted == stored == len(answers) == 120

    racers = {name: [logged_in(name) for _ in range(3)] for name in ("race0", "race1")}
    barrier = threading.Barrier(6)
    cards = questions[31:51]
    with ThreadPoolExecutor(6) as pool:
        runs = list(
            pool.map(
                lambda b: grade_all(b, cards, barrier),
                [b for tabs in racers.values() for b in tabs],
            )
        )
    statuses = Counter(status for run in runs for status, _ in run)
    logs = ReviewLog.objects.filter(user__username__startswith="race")
    versions = Counter(
        ReviewSchedule.objects.filter(user__username__startswith="race").values_list(
            "version", flat=True
        )
    )
    doubled = logs.count() - logs.values("schedule").distinct().count()
    figures["racing"] = (
        f"3 tabs x 2 learners x 20 cards at once: {dict(statuses)}; "
        f"{logs.count()} rows for 40 cards, {doubled} doubled, versions {dict(versions)}"
    )
    return ok and statuses == {302: 40, 409: 80} and doubled == 0 and logs.count() == 40


def lockout(figures: dict) -> bool:
    """Five wrong passwords through the balancer lock the pair (the fifth
    answer is the lockout page), on both servers."""
    failures = []
    for n in range(5):
        browser = Browser()
        if n % 2:
            browser.request(
                "/healthz"
            )  # round robin: the next POST goes to the other server
        failures.append(browser.log_in("locked", "wrong-password"))
    served = sorted({h.get("X-Served-By", "?") for _, h in failures})
    after = {"balancer": Browser().log_in("locked")[0]}
    for name, port in SERVERS.items():
        after[name] = Browser(port).log_in("locked")[0]
    figures["lockout"] = (
        f"5 failures via {'+'.join(served)} ({[s for s, _ in failures]}); "
        f"then the right password: {after}"
    )
    return (
        [s for s, _ in failures] == [200, 200, 200, 200, 429]
        and len(served) == 2
        and set(after.values()) == {429}
    )


def rolling_restart(stack: Stack, figures: dict) -> bool:
    """Both servers restarted one after the other (drain, SIGTERM, start,
    ready) while 3 learners keep loading pages: 0 failed requests."""
    browsers = [logged_in(f"load{n}") for n in range(3)]
    stop = threading.Event()
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def load(browser: Browser) -> None:
        deadline = time.monotonic() + 120  # bounded whatever happens
        while not stop.is_set() and time.monotonic() < deadline:
            for path in ("/review/", "/", "/healthz"):
                status, headers, _ = browser.request(path)
                with lock:
                    outcomes[f"{status} {headers.get('X-Served-By', '-')}"] += 1
                time.sleep(0.02)  # steady load, not a saturation test

    steps = []
    with ThreadPoolExecutor(len(browsers)) as pool:
        for browser in browsers:
            pool.submit(load, browser)
        time.sleep(1.5)
        for name in SERVERS:
            started = time.monotonic()
            stack.haproxy(f"set server servers/{name} state drain")
            deadline = time.monotonic() + 10
            while stack.server_sessions(name) and time.monotonic() < deadline:
                time.sleep(0.05)
            stopped = stack.stop_server(name)
            stack.start_server(name)
            stack.haproxy(f"set server servers/{name} state ready")
            while stack.backend_states().get(name) != "UP":
                time.sleep(0.05)
            steps.append(
                f"{name} {time.monotonic() - started:.1f} s (stopped in {stopped:.1f} s)"
            )
            time.sleep(1.5)
        stop.set()
    total = sum(outcomes.values())
    failed = sum(n for key, n in outcomes.items() if not key.startswith("200 "))
    figures["rolling restart"] = (
        f"{total} requests during {', '.join(steps)}: {failed} failed; {dict(outcomes)}"
    )
    return failed == 0 and total > 0


def metrics(figures: dict) -> bool:
    """The grades every server counted add up to those stored; /metrics is
    refused through the public balancer."""
    from prometheus_client.parser import text_string_to_metric_families

    from cards.models import ReviewLog

    recorded = 0.0
    for port in SERVERS.values():
        req = urllib.request.Request(
            url(port, "/metrics"), headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
        )
        with urllib.request.urlopen(req, timeout=10) as response:
            text = response.read().decode()
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if (
                    sample.name == "genai_prep_grades_total"
                    and sample.labels.get("outcome") == "recorded"
                ):
                    recorded += sample.value
    public = Browser().request("/metrics")[0]
    stored = ReviewLog.objects.count()
    figures["metrics"] = (
        f"grades recorded per /metrics (both servers, all workers): {recorded:.0f}; "
        f"stored: {stored}; /metrics via the balancer: {public}"
    )
    return public == 403 and recorded == stored

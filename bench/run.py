"""One scale's benchmark (or soak) against a running server: phases and figures.

Database reads (choosing learners, invariant I1, EXPLAIN) happen before and
after the timed phases, never during them.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone

from bench import client, datagen, explain, rounds, simulate, stats
from bench.kinds import classify
from cards.models import LearnerProfile, Question, ReviewLog, ReviewSchedule

FLOOR_PLAIN = "/bench/floor/plain/"
FLOOR_QUERY = "/bench/floor/query/"


@dataclass(frozen=True)
class Options:
    base_url: str
    learners: int = 8
    accounts_per_learner: int = 5
    floor_seconds: float = 5.0
    review_seconds: float = 120.0
    progress_requests: int = 30
    single_requests: int = 100  # sequential floor requests per round
    single_cards: int = 20  # sequential cards per round
    card_seconds: float = 10.0  # cards at saturation per round
    open_seconds: float = 10.0
    warm_up: bool = True  # one uncounted round first (rounds.warm_up)
    traced_cards: int = 10
    soak_seconds: float | None = None
    seed: int = 1


def fresh_learners(count: int) -> list[str]:
    fresh = datagen.fresh_learners(count)
    if len(fresh) < count:
        raise RuntimeError(
            f"only {len(fresh)} unused learners left; regenerate the data "
            "(bench_data without --reuse)"
        )
    return fresh


def i1_counts() -> dict:
    return {
        "review_logs": ReviewLog.objects.count(),
        "schedule_versions": ReviewSchedule.objects.aggregate(v=Sum("version"))["v"]
        or 0,
    }


def dead_tuples() -> dict:
    """Live and dead rows of the review tables (PostgreSQL's statistics): the
    generator vacuums, so the first round runs on clean tables and the later
    ones on the dead rows the earlier rounds left."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    tables = [ReviewSchedule._meta.db_table, ReviewLog._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_live_tup, n_dead_tup FROM pg_stat_user_tables "
            "WHERE relname = ANY(%s) AND schemaname = current_schema()",
            [tables],
        )
        return {name: {"live": live, "dead": dead} for name, live, dead in cursor}


def run(options: Options) -> dict:
    soak = options.soak_seconds is not None
    per = 2 if soak else options.accounts_per_learner
    *accounts, spare, typist = fresh_learners(options.learners * per + 2)
    # Plans first, for a learner the load phases leave alone: its queue is full.
    plans = None if soak else _plans(spare)
    # The two-request flow (typed answer first) has its own learner and budget.
    LearnerProfile.objects.filter(user__username=typist).update(
        type_answer_first=True, updated_at=timezone.now()
    )
    if soak:
        # Enough work for a minute: the most new cards a day the settings allow.
        LearnerProfile.objects.filter(user__username__in=accounts).update(
            new_cards_per_day=500, updated_at=timezone.now()
        )
    before = i1_counts()
    info = datagen.meta()
    heavy_reviews = ReviewLog.objects.filter(
        user__username=simulate.HEAVY_USERNAME
    ).count()
    data = {
        "scale": info["scale"],
        "origin": f"generated {info['at']} in {info.get('seconds', '?')} s "
        f"(seed {info['seed']})",
        "learners": get_user_model().objects.filter(is_active=True).count(),
        "schedules": ReviewSchedule.objects.count(),
        "review_logs": before["review_logs"],
        "heavy_reviews": heavy_reviews,
    }
    load_before = [round(x, 2) for x in os.getloadavg()]
    dead_before = dead_tuples()
    result = asyncio.run(
        _phases(options, accounts, Question.objects.count(), spare=spare, typist=typist)
    )
    result["dead_tuples"] = {"before": dead_before, "after": dead_tuples()}
    after = i1_counts()
    result["data"] = data
    result["load_before"] = load_before
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    accepted = result["review"]["accepted"]
    result["i1"] = {
        "accepted_grades": accepted,
        "new_review_logs": after["review_logs"] - before["review_logs"],
        "schedule_advances": after["schedule_versions"] - before["schedule_versions"],
    }
    result["i1"]["holds"] = (
        accepted == result["i1"]["new_review_logs"] == result["i1"]["schedule_advances"]
    )
    if plans:
        result["explain"] = plans
    return result


def _plans(username: str) -> dict:
    User = get_user_model()
    learner = User.objects.get(username=username)
    heavy = User.objects.get(username=simulate.HEAVY_USERNAME)
    review_status, review = explain.page_plans("/review/", learner, label="review")
    progress_status, progress = explain.page_plans(
        "/progress/", heavy, label="progress"
    )
    return {
        "review_status": review_status,
        "progress_status": progress_status,
        "pages": review + progress,
        "foundation": explain.foundation_plans(learner, heavy),
    }


async def _login_all(sessions, names, password) -> list[float]:
    gate = asyncio.Semaphore(2)  # PBKDF2 is CPU-bound: two at a time on two cores

    async def one(session, name):
        async with gate:
            return await session.login(name, password)

    return await asyncio.gather(
        *(one(s, n) for s, n in zip(sessions, names, strict=True))
    )


async def _timed(coro) -> float:
    start = time.perf_counter()
    await coro
    return time.perf_counter() - start


async def _phases(
    options: Options, accounts: list[str], bank: int, *, spare: str, typist: str
) -> dict:
    rec = client.Recorder()
    n = options.learners
    sessions = [client.Session(options.base_url, rec) for _ in accounts]
    heavy = client.Session(options.base_url, rec)
    soak = options.soak_seconds is not None
    result: dict = {"missing": [], "learners": n, "accounts": len(accounts)}
    try:
        logins = await _login_all(sessions, accounts, datagen.PASSWORD)
        result["login_ms_p50"] = round(stats.percentile(logins, 50) * 1000, 1)
        seconds: dict[str, float] = {}
        if not soak:
            await heavy.login(simulate.HEAVY_USERNAME, datagen.PASSWORD)
            seconds.update(await _floors(sessions[:n], options, bank))
            weight = await _weight(sessions[0])
            if weight is None:
                result["missing"].append("/review/ (cards:review)")
            result["weight"] = weight
        if soak:
            result["review"], review_seconds = await _review(
                sessions, n, options.soak_seconds, options.seed, soak=soak
            )
            seconds["review"] = review_seconds
            for label in ("reveal", "grade"):  # they share the loop's wall time
                seconds[label] = review_seconds
            if result["review"]["missing"] and not result["missing"]:
                result["missing"].append(result["review"]["missing"])
        else:
            result["review"] = await _honest(
                options, sessions, heavy, spare, bank, rec, result, typist=typist
            )
    finally:
        for s in [*sessions, heavy]:
            await s.close()
    result["endpoints"] = {
        label: stats.summarize(rec.of(label), seconds=seconds.get(label))
        for label in dict.fromkeys(s.label for s in rec.samples)
    }
    if "review" in seconds:
        result["review"]["grades_per_second"] = (
            round(result["review"]["accepted"] / seconds["review"], 1)
            if seconds["review"]
            else None
        )
    result["errors"] = rec.errors[:50]
    result["error_count"] = len(rec.errors)
    return result


async def _honest(
    options, sessions, heavy, spare, bank, rec, result, *, typist: str
) -> dict:
    """Issue 12's figures (bench/rounds.py): interleaved rounds, open loop,
    round trips on the wire, progress at every span for two learners."""
    n = options.learners
    seen: dict[str, set] = {}
    walkers = [
        rounds.Walker(s, random.Random(f"{options.seed}:walker:{k}"), seen)
        for k, s in enumerate(sessions)
    ]
    # The last walker is kept out of the load for the traced cards.
    tracer, pool = walkers[-1], rounds.Pool(walkers[:-1])
    out: dict = {"missing": None, "soak": False}
    phase = {
        "bank": bank,
        "floor_requests": options.single_requests,
        "single_cards": options.single_cards,
        "floor_seconds": options.floor_seconds,
        "card_seconds": options.card_seconds,
    }
    await rounds.open_pages(walkers)  # untimed: the rounds count cards only
    if options.warm_up:
        out["warm_up"] = await rounds.warm_up(sessions[:n], pool, **phase)
    out["rounds"] = await rounds.interleaved_rounds(sessions[:n], pool, **phase)
    capacity = rounds.spread(r["saturated"]["cards_per_second"] for r in out["rounds"])[
        "median"
    ]
    if capacity:
        out["open_loop"] = await rounds.open_loop(
            pool, rate=capacity / 2, seconds=options.open_seconds, seed=options.seed
        )
    out["ran_out"] = pool.ran_out
    out["round_trips"] = await rounds.round_trips(tracer, options.traced_cards)
    normal = client.Session(options.base_url, rec)
    tenth = client.Session(options.base_url, rec)
    typing = client.Session(options.base_url, rec)
    tabs = []
    try:
        await typing.login(typist, datagen.PASSWORD)
        out["typed_round_trips"] = await rounds.round_trips(
            rounds.Walker(typing, random.Random(options.seed), seen),
            options.traced_cards,
        )
        await normal.login(spare, datagen.PASSWORD)
        await tenth.login(simulate.TENTH_USERNAME, datagen.PASSWORD)
        out["progress"] = await rounds.progress_spans(
            {"normal": normal, "tenth": tenth, "heavy": heavy},
            options.progress_requests,
        )
        for _ in range(n):
            tab = client.Session(options.base_url, rec)
            tab.share_cookies(heavy)
            tabs.append(tab)
        out["progress_tabs"] = await rounds.progress_tabs(tabs, options.floor_seconds)
        heavy_walker = rounds.Walker(heavy, random.Random(options.seed), seen)
        out["heavy_cards"] = await rounds.paired_cards(heavy_walker, pool, 20)
        out["heavy_round_trips"] = await rounds.round_trips(heavy_walker, 5)
    finally:
        for s in [normal, tenth, typing, *tabs]:
            await s.close()
    counted = out["rounds"] + ([out["warm_up"]] if "warm_up" in out else [])
    out["accepted"] = sum(
        r["single_cards"] + r["saturated"]["cards"] for r in counted
    ) + (out.get("open_loop") or {}).get("cards", 0)
    out["accepted"] += out["round_trips"]["cards"] + out["heavy_cards"]["cards"]
    out["accepted"] += out["heavy_round_trips"]["cards"]
    out["accepted"] += out["typed_round_trips"]["cards"]
    out["url_names"] = {k: sorted(v) for k, v in seen.items()}
    if not out["accepted"]:
        out["missing"] = "grade/reveal controls not found on /review/ (cards:grade)"
        result["missing"].append(out["missing"])
    # I1 counts every accepted grade, refused ones (409) included as refusals.
    out["conflicts"] = sum(r["saturated"]["refused"] for r in counted)
    return out


async def _floors(sessions, options: Options, bank: int) -> dict[str, float]:
    paths = {
        "floor: plain view": lambda i: FLOOR_PLAIN,
        "floor: one query + template": lambda i: f"{FLOOR_QUERY}?id={i % bank + 1}",
        "dashboard /": lambda i: "/",
    }
    for url in paths.values():  # warm every worker and its connection
        await client.closed_loop(sessions, None, url, seconds=1.0)
    return {
        label: await _timed(
            client.closed_loop(sessions, label, url, seconds=options.floor_seconds)
        )
        for label, url in paths.items()
    }


async def _weight(session) -> dict | None:
    probe = await session.fetch("GET", "/review/")
    if probe.status != 200:
        return None
    return await client.weight_of_first_load(session, "/review/")


async def _review(sessions, n, seconds, seed, *, soak) -> tuple[dict, float]:
    seen: dict[str, set] = {}
    deadline = time.monotonic() + seconds
    outcomes: list[client.QueueResult] = []

    async def worker(k: int) -> None:
        rng = random.Random(f"{seed}:worker:{k}")
        mine = sessions[k::n]
        while mine and time.monotonic() < deadline:
            session = mine.pop(0)
            try:
                outcome = await client.work_queue(
                    session, lambda a: classify(a, seen), rng, deadline=deadline
                )
            except client.TRANSPORT_ERRORS:
                outcome = client.QueueResult(failures=1)
            outcomes.append(outcome)
            if outcome.missing:
                return

    elapsed = await _timed(asyncio.gather(*(worker(k) for k in range(n))))
    missing = next((o.missing for o in outcomes if o.missing), None)
    if missing is None and not any(o.accepted for o in outcomes):
        missing = "grade/reveal controls not found on /review/ (cards:grade)"
    summary = {
        "missing": missing,
        "accepted": sum(o.accepted for o in outcomes),
        "conflicts": sum(o.conflicts for o in outcomes),
        "failures": sum(o.failures for o in outcomes),
        "queues_finished": sum(o.finished for o in outcomes),
        "queues_started": len(outcomes),
        "url_names": {k: sorted(v) for k, v in seen.items()},
        "soak": soak,
        "seconds": round(elapsed, 1),
    }
    return summary, elapsed

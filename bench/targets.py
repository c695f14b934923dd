"""Issue 12's targets from a run's figures: medians, spreads and verdicts."""

from __future__ import annotations

from bench import cpu
from bench.stats import ratio, spread, verdict


def _fig(values) -> dict:
    return spread(list(values))


def _shown(f: dict, unit: str = "") -> str:
    if f.get("median") is None:
        return "-"
    return f"{f['median']}{unit} ({f['min']}-{f['max']})"


def targets(results: dict) -> list[tuple[str, str, str, str]]:
    """Issue 12's table: (figure, target, median (spread over rounds), verdict)."""
    out = []
    sc = results["scales"]
    for s, r in sc.items():
        rv = r.get("review", {})
        rounds = rv.get("rounds") or []
        if not rounds:
            continue
        per_card = _fig(x["card_over_floor"] for x in rounds)
        out.append(
            (
                f"{s}: server time per card / one-query floor (single thread)",
                "<= 3x",
                _shown(per_card, "x"),
                verdict(per_card, 3),
            )
        )
        rps = _fig(x["cards_over_floor_rps"] for x in rounds)
        out.append(
            (
                f"{s}: cards/s at saturation / floor req/s",
                ">= 0.40",
                _shown(rps),
                verdict(rps, 0.40, at_least=True),
            )
        )
        ol = rv.get("open_loop") or {}
        p95 = ol.get("p95_ms")
        out.append(
            (
                f"{s}: card p95, open loop at {ol.get('rate', '-')} cards/s "
                "(half capacity)",
                "< 25 ms",
                "-" if p95 is None else f"{p95} ms (one run)",
                "n/a" if p95 is None else ("met" if p95 < 25 else "MISSED"),
            )
        )
        rt = rv.get("round_trips") or {}
        most = rt.get("per_card_max")
        out.append(
            (
                f"{s}: round trips per card on the wire ({rt.get('cards', 0)} cards)",
                "<= 5",
                "-" if most is None else f"max {most}, median {rt['per_card_median']}",
                "n/a" if most is None else ("met" if most <= 5 else "MISSED"),
            )
        )
        trt = (rv.get("typed_round_trips") or {}).get("per_request_max") or {}
        if trt:
            most = max(trt.values())
            out.append(
                (
                    f"{s}: typed-answer flow, round trips per request (2 a card)",
                    "<= 5",
                    ", ".join(f"{k} {v}" for k, v in trt.items()),
                    "met" if most <= 5 else "MISSED",
                )
            )
        hrt = rv.get("heavy_round_trips") or {}
        if hrt.get("per_card_max") is not None:
            most = hrt["per_card_max"]
            out.append(
                (
                    f"{s}: round trips per card, heavy learner",
                    "<= 5",
                    f"max {most}",
                    "met" if most <= 5 else "MISSED",
                )
            )
        prog = rv.get("progress") or {}
        heavy, normal = prog.get("heavy", {}), prog.get("normal", {})
        tenth = prog.get("tenth", {})
        h365 = heavy.get("365", {}).get("p95_ms")
        out.append(
            (
                f"{s}: /progress/ 365 days, heavy learner, p95",
                "< 80 ms",
                "-" if h365 is None else f"{h365} ms",
                "n/a" if h365 is None else ("met" if h365 < 80 else "MISSED"),
            )
        )
        tabs = (rv.get("progress_tabs") or {}).get("p95_ms")
        out.append(
            (
                f"{s}: /progress/ 365 days in 8 tabs, p95",
                "< 250 ms",
                "-" if tabs is None else f"{tabs} ms",
                "n/a" if tabs is None else ("met" if tabs < 250 else "MISSED"),
            )
        )
        # Issue 12's figure: the heavy learner against one with a tenth of its
        # log over the same year (bench-tenth). Against a 30-day learner (a
        # hundredth of the log, a tenth of the days drawn) it is information,
        # not the target: the page draws the days studied.
        for span in ("30", "90", "365"):
            b = heavy.get(span, {}).get("server_p50_ms")
            for base, target in ((tenth, True), (normal, False)):
                a = base.get(span, {}).get("server_p50_ms")
                q = ratio(b, a)
                if q is None and not target:
                    continue
                label = (
                    "heavy (10x log) / tenth" if target else "heavy / 30-day learner"
                )
                out.append(
                    (
                        f"{s}: progress {span} d, {label} (server p50)",
                        "<= 1.3" if target else "(information)",
                        "-" if q is None else f"{q} ({b} / {a} ms)",
                        "n/a"
                        if q is None
                        else ("-" if not target else "met" if q <= 1.3 else "MISSED"),
                    )
                )
        paired = rv.get("heavy_cards") or {}
        hc = paired.get("card_server_ms_p50")
        # Normal cards interleaved with the heavy learner's (rounds.paired_cards);
        # older runs timed the heavy cards alone, against the rounds' median.
        nc = paired.get("normal_card_server_ms_p50") or _fig(
            x["card_server_ms_p50"] for x in rounds
        ).get("median")
        if hc is not None and nc:
            q = ratio(hc, nc)
            out.append(
                (
                    f"{s}: card server time, heavy / normal (interleaved)",
                    "<= 1.3",
                    f"{q} ({hc} / {nc} ms)",
                    "met" if q <= 1.3 else "MISSED",
                )
            )
    if "S" in sc and "L" in sc:
        a = [x["card_server_ms_p50"] for x in sc["S"]["review"].get("rounds", [])]
        b = [x["card_server_ms_p50"] for x in sc["L"]["review"].get("rounds", [])]
        if a and b:
            pairs = _fig(ratio(y, x) for x, y in zip(a, b, strict=False))
            out.append(
                (
                    "card server time L / S (round by round)",
                    "<= 1.3",
                    _shown(pairs),
                    verdict(pairs, 1.3),
                )
            )
    return out


def round_lines(results: dict) -> list[str]:
    """Each round's raw figures, the open loop, round trips and dead tuples."""
    out = []
    for s, r in results["scales"].items():
        rv = r.get("review", {})
        warm = [rv["warm_up"]] if rv.get("warm_up") else []
        for x in warm + (rv.get("rounds") or []):
            sat = x["saturated"]
            name = "round" if x in rv.get("rounds", []) else "(not counted)"
            out.append(
                f"{s} {name} {x['round']}: floor {x['floor_server_ms_p50']} ms server "
                f"({x['floor_client_ms_p50']} ms client), {x['floor_per_second']} "
                f"req/s; card {x['card_server_ms_p50']} ms server over "
                f"{x['card_requests_mean']} requests ({x['single_cards']} cards, "
                f"{x['card_client_ms_p50']} ms client); {sat['cards_per_second']} "
                f"cards/s ({sat['cards']} cards, {sat['refused']} refused, "
                f"p95 {sat['p95_ms']} ms closed loop)"
            )
            if sat.get("cpu_ms_per_card"):
                out.append(
                    f"{s} {name} {x['round']} at saturation: a card "
                    f"{cpu.line(sat['cpu_ms_per_card'])}; a floor request "
                    f"{cpu.line(x.get('floor_cpu_ms_per_request'))}"
                )
        ol = rv.get("open_loop")
        if ol:
            out.append(
                f"{s} open loop: {ol['arrivals']} arrivals at {ol['rate']}/s over "
                f"{ol['seconds']} s, {ol['cards']} cards, p50 {ol['p50_ms']} ms, "
                f"p95 {ol['p95_ms']} ms, p99 {ol['p99_ms']} ms"
                + (" (the learners' queues ran out)" if ol["ran_out"] else "")
            )
            if ol.get("parts"):
                out.append(
                    f"{s} open loop, a card's latency in parts (p50 / p95 ms): "
                    + ", ".join(
                        f"{name.replace('_', ' ')} {v['p50_ms']} / {v['p95_ms']}"
                        for name, v in ol["parts"].items()
                    )
                )
        rt = rv.get("round_trips")
        if rt and rt.get("example"):
            out.append(f"{s} one traced card: {'; '.join(rt['example'])}")
        dt = r.get("dead_tuples") or {}
        if dt.get("after"):
            out.append(f"{s} dead tuples before/after: {dt['before']} / {dt['after']}")
        for who, spans in (rv.get("progress") or {}).items():
            out.append(
                f"{s} progress, {who} learner: "
                + "; ".join(
                    f"{d} d p50 {v['p50_ms']} / p95 {v['p95_ms']} ms "
                    f"(server {v['server_p50_ms']}), {v['wire_bytes']:,} B "
                    f"{v['encoding']}"
                    for d, v in spans.items()
                )
            )
    return out

"""Tables (stdout and Markdown), budget checks and the docs section of a run."""

from __future__ import annotations

import re

from bench.stats import ratio
from bench.targets import round_lines, targets

FLOOR = "floor: one query + template"
ORDER = [
    "floor: plain view",
    FLOOR,
    "dashboard /",
    "review page",
    "reveal",
    "grade",
    "progress (1 learner)",
]
BEGIN = "<!-- bench:begin (written by `make bench`; edit outside these markers) -->"
END = "<!-- bench:end -->"


def _labels(results: dict) -> list[str]:
    seen = dict.fromkeys(ORDER)
    for scale in results["scales"].values():
        seen.update(dict.fromkeys(scale.get("endpoints", {})))
    return list(seen)


def _ok(scale: dict, label: str) -> dict | None:
    e = scale.get("endpoints", {}).get(label)
    return e if e and e["ok"] else None


def _fmt(value, suffix: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        value = f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return f"{value}{suffix}"


def rows(results: dict) -> tuple[list[str], list[list[str]]]:
    scales = list(results["scales"])
    header = ["endpoint"]
    for s in scales:
        header += [f"{s} p50", f"{s} p95", f"{s} p99", f"{s} srv p50"]
        header += [f"{s} req/s", f"{s} SQL"]
        header += [f"{s} x floor"]
    if len(scales) == 2:
        header += ["L/S p50", "L/S p95"]
    body = []
    missing = {
        m.split(" ")[0] for r in results["scales"].values() for m in r["missing"]
    }
    for label in _labels(results):
        line = [label]
        found = False
        for s in scales:
            r = results["scales"][s]
            e = _ok(r, label)
            floor = r.get("endpoints", {}).get(FLOOR, {})
            if e:
                found = True
                line += [
                    _fmt(e["p50_ms"]),
                    _fmt(e["p95_ms"]),
                    _fmt(e["p99_ms"]),
                    _fmt(e.get("server_p50_ms")),
                    _fmt(e.get("per_second")),
                    _fmt(e["queries_mean"]),
                    _fmt(ratio(e["p50_ms"], floor.get("p50_ms")), "x"),
                ]
            else:
                line += ["-"] * 7
        if len(scales) == 2:
            a, b = (_ok(results["scales"][s], label) for s in scales)
            line += [
                _fmt(ratio(b and b["p50_ms"], a and a["p50_ms"]), "x"),
                _fmt(ratio(b and b["p95_ms"], a and a["p95_ms"]), "x"),
            ]
        if not found:
            page = "/progress/" if label.startswith("progress") else "/review/"
            if label in ORDER[3:] and any(page in m for m in missing):
                line = [label, "endpoint missing"] + [""] * (len(header) - 2)
            else:
                continue
        body.append(line)
    return header, body


def text_table(header: list[str], body: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    out = []
    for r in [header, *body]:
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        out.append("  ".join(cells))
    return "\n".join(out)


def markdown_table(header: list[str], body: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def summary_lines(results: dict) -> list[str]:
    """Review loop, page weight, invariant I1, data and missing endpoints."""
    out = []
    for s, r in results["scales"].items():
        data = r.get("data", {})
        out.append(
            f"{s}: {data.get('learners', '?'):,} learners, {data.get('schedules', 0):,} "
            f"schedules, {data.get('review_logs', 0):,} review-log rows; heavy learner "
            f"{data.get('heavy_reviews', 0):,} reviews; data {data.get('origin', '?')}"
        )
        rv = r.get("review", {})
        if r["missing"]:
            out.append(f"{s}: endpoint missing: {'; '.join(r['missing'])}")
        if rv.get("accepted") and not rv.get("soak") and "rounds" in rv:
            out.append(
                f"{s}: {rv['accepted']} cards graded in all phases, "
                f"{rv['conflicts']} x 409; URL names used: {rv['url_names']}"
                + ("; the learners' queues RAN OUT" if rv.get("ran_out") else "")
            )
        elif rv.get("accepted"):
            out.append(
                f"{s}: review loop {rv['accepted']} grades accepted, "
                f"{rv['grades_per_second']} grades/s, {rv['conflicts']} x 409, "
                f"{rv['failures']} failures, {rv['queues_finished']}/"
                f"{rv['queues_started']} queues finished; URL names used: "
                f"{rv['url_names']}"
            )
        i1 = r.get("i1", {})
        if i1.get("accepted_grades"):
            out.append(
                f"{s}: I1 {'holds' if i1['holds'] else 'VIOLATED'}: accepted "
                f"{i1['accepted_grades']}, new log rows {i1['new_review_logs']}, "
                f"schedule advances {i1['schedule_advances']}"
            )
        w = r.get("weight")
        if w:
            parts = ", ".join(
                f"{p['url']} {p['body_bytes']:,} B ({p['encoding']})"
                for p in w["parts"]
            )
            out.append(
                f"{s}: first /review/ load {w['body_bytes']:,} B bodies, "
                f"{w['transfer_bytes']:,} B with headers: {parts}"
            )
        g = _ok(r, "grade")
        if g:
            out.append(
                f"{s}: grade swap {g['wire_bytes_mean']:,} B mean, "
                f"{g['wire_bytes_max']:,} B max (body + headers, as served)"
            )
        most = {
            label: e["queries_max"]
            for label, e in r.get("endpoints", {}).items()
            if e["ok"] and not label.startswith("floor")
        }
        if most:
            out.append(f"{s}: most SQL queries in one request: {most}")
        out.append(
            f"{s}: load average {r.get('load_before')} before, "
            f"{r.get('load_after')} after the phases ({results['machine']['cores']} cores)"
        )
        out.append(
            f"{s}: errors {r.get('error_count', 0)} (5xx and transport); "
            f"login p50 {r.get('login_ms_p50')} ms (untimed, once per learner)"
        )
    return out


def budgets(results: dict) -> list[tuple[str, str, str]]:
    """(budget, measured, verdict) for the issue's budgets; n/a when missing."""
    checks = []
    sc = results["scales"]

    def ep(scale, label):
        return _ok(sc.get(scale, {}), label)

    main = "L" if "L" in sc else next(iter(sc))
    grade = ep(main, "grade")
    checks.append(_check("grade p95 < 25 ms", grade and grade["p95_ms"], 25, "ms"))
    if "S" in sc and "L" in sc:
        worst = None
        for label in ("review page", "reveal", "grade"):
            a, b = ep("S", label), ep("L", label)
            if a and b:
                r = ratio(b["p95_ms"], a["p95_ms"])
                worst = r if worst is None else max(worst, r)
        checks.append(_check("L/S p95 <= 1.3x (review requests)", worst, 1.3, "x"))
    w = sc.get(main, {}).get("weight")
    checks.append(
        _check(
            "first /review/ load < 40 KB", w and w["transfer_bytes"] / 1024, 40, " KB"
        )
    )
    checks.append(
        _check("grade swap < 4 KB", grade and grade["wire_bytes_max"] / 1024, 4, " KB")
    )
    return checks


def _check(name, value, limit, unit, at_least=False):
    if value is None or value is False:
        return (name, "-", "n/a (endpoint missing)")
    ok = (
        value >= limit
        if at_least
        else value < limit or (unit == "x" and value <= limit)
    )
    shown = f"{value:.0%}" if at_least else f"{value:.2f}{unit}"
    return (name, shown, "met" if ok else "MISSED")


def _compact(sql: str) -> str:
    """Long select lists shortened to a column count; the rest kept whole."""
    match = re.match(r"SELECT (DISTINCT )?(.*?) FROM ", sql, flags=re.S)
    if match and len(match.group(2)) > 160:
        columns = match.group(2).count(",") + 1
        sql = (
            f"SELECT {match.group(1) or ''}<{columns} columns> FROM "
            + sql[match.end() :]
        )
    return sql if len(sql) < 1500 else sql[:1500] + " ..."


def explain_markdown(results: dict) -> str:
    parts = []
    for s, r in results["scales"].items():
        plans = r.get("explain")
        if not plans:
            continue
        entries = plans["pages"] or []
        if not entries:
            parts.append(
                f"\n#### Scale {s}: foundation queries (review status "
                f"{plans['review_status']}, progress status {plans['progress_status']})\n"
            )
            entries = plans["foundation"]
        else:
            parts.append(f"\n#### Scale {s}: SELECTs on the review tables, as served\n")
        for e in entries:
            flag = " **Seq Scan on a big table**" if e["seq_scan_on_big_table"] else ""
            sql = _compact(e["sql"])
            parts.append(
                f"{e['source']}: {e['execution_ms']} ms{flag}\n\n```sql\n{sql}\n```\n"
                f"```\n{e['plan']}\n```\n"
            )
    return "\n".join(parts)


def _busy(results: dict) -> list[str]:
    cores = results["machine"]["cores"] or 1
    loads = [r.get("load_before", [0])[0] for r in results["scales"].values()]
    loads += [r.get("load_after", [0])[0] for r in results["scales"].values()]
    worst = max(loads, default=0)
    if worst <= cores:
        return []
    return [
        f"- **The machine was busy** (1-minute load average up to {worst} on "
        f"{cores} cores, from other work): absolute times are inflated and noisy; "
        "compare ratios within the run, and rerun on a quiet machine for budgets."
    ]


def doc_section(results: dict, header: list[str], body: list[list[str]]) -> str:
    m = results["machine"]
    lines = [
        BEGIN,
        "",
        f"### Latest run: {results['date']}",
        "",
        f"- Command: `{results['command']}` (commit {m['commit']})",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM, {m['os']}",
        f"- Software: Python {m['python']}, Django {m['django']}, gunicorn "
        f"{m['gunicorn']} ({results['settings']['gunicorn_workers']} sync workers), "
        f"PostgreSQL {m['postgresql']}, psycopg {m['psycopg']}, aiohttp {m['aiohttp']}",
        "- PostgreSQL settings: "
        + (
            ", ".join(f"{k} {v}" for k, v in m.get("postgresql_settings", {}).items())
            or "not read"
        ),
        f"- Load: {results['settings']['learners']} concurrent simulated learners, "
        "client and server on the same machine",
        *_busy(results),
        "",
        "Latency in ms measured by the client (send to last byte); `srv p50` the "
        "time inside Django (Server-Timing), the rest being queueing, network and "
        "client; `req/s` the phase's throughput; `SQL` the mean queries per request "
        "(X-Bench-Queries); `x floor` the p50 over the one-query floor's p50 in the "
        "same run.",
        "",
        markdown_table(header, body),
        "",
        *[f"- {line}" for line in summary_lines(results)],
        "",
        "#### Targets of issue 12 (median of the rounds, spread min-max)",
        "",
        "| figure | target | measured | verdict |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in targets(results)],
        "",
        *[f"- {line}" for line in round_lines(results)],
        "",
        "#### Budgets (issue 7)",
        "",
        "| budget | measured | verdict |",
        "|---|---|---|",
        *[f"| {n} | {v} | {d} |" for n, v, d in budgets(results)],
        "",
        "#### EXPLAIN (ANALYZE, BUFFERS)",
        explain_markdown(results),
        END,
    ]
    return "\n".join(lines)


def update_doc(path, results: dict, header, body) -> None:
    text = path.read_text() if path.exists() else ""
    section = doc_section(results, header, body)
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text)

"""Who spent the machine's CPU during a phase of the benchmark (issue 12).

A card at saturation costs more than the Django process's own time: the
gunicorn worker around it, PostgreSQL's backend, the kernel's network work and
this client all run on the same two cores. `snapshot()` reads /proc (Linux):
the CPU seconds of every gunicorn process, every PostgreSQL process and this
process, and the machine's busy time; `split(before, after, cards)` gives the
milliseconds each spent per card, "other" being the rest of the machine's
busy time (the kernel's softirq work, and any other program running).

Each group counts, per process, what it spent between the two snapshots (a
process that started in between, all of its time). A process that ended in
between (an autovacuum worker, a connection closed) takes its seconds with
it: they stay in the machine's busy time and so in "other". The workers and
the backends of the benchmark's pooled connections (CONN_MAX_AGE) live through
a phase.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
GROUPS = ("gunicorn", "postgres", "client")


def _seconds(stat: str, tick: int) -> float:
    """utime + stime of one /proc/<pid>/stat line, in seconds. The fields
    after the command's closing parenthesis start at field 3 (the state);
    utime and stime are fields 14 and 15."""
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick


def group_of(pid: int, comm: str, cmdline: bytes, *, me: int) -> str | None:
    if pid == me:
        return "client"
    if comm == "postgres" or cmdline.startswith(b"postgres"):
        return "postgres"
    if b"gunicorn" in cmdline:
        return "gunicorn"
    return None


def machine_busy(stat_text: str, tick: int) -> float:
    """Busy seconds of all CPUs from /proc/stat's first line (user, nice,
    system, irq, softirq, steal; not idle or iowait)."""
    values = [int(v) for v in stat_text.splitlines()[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = values
    return (user + nice + system + irq + softirq + steal) / tick


def snapshot(proc: Path = PROC) -> dict:
    """{"machine": busy seconds, group: {pid: seconds}} for each group."""
    tick = os.sysconf("SC_CLK_TCK")
    seen: dict = {group: {} for group in GROUPS}
    me = os.getpid()
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:  # the process ended while we looked
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        group = group_of(int(entry.name), comm, cmdline, me=me)
        if group:
            seen[group][int(entry.name)] = _seconds(stat, tick)
    seen["machine"] = machine_busy((proc / "stat").read_text(), tick)
    return seen


def spent(before: dict, after: dict) -> dict[str, float]:
    """Seconds each group spent between two snapshots, and the machine's."""
    out = {
        group: sum(
            seconds - before[group].get(pid, 0.0)
            for pid, seconds in after[group].items()
        )
        for group in GROUPS
    }
    out["machine"] = after["machine"] - before["machine"]
    return out


def split(before: dict, after: dict, count: int) -> dict[str, float] | None:
    """Milliseconds per item (card or request) by who spent them."""
    if not count:
        return None
    seconds = spent(before, after)
    seconds["other"] = max(0.0, seconds["machine"] - sum(seconds[g] for g in GROUPS))
    return {k: round(v * 1000 / count, 2) for k, v in seconds.items()}


def line(per_item: dict[str, float] | None) -> str:
    if not per_item:
        return "n/a"
    parts = ", ".join(f"{k} {per_item[k]}" for k in (*GROUPS, "other"))
    return f"{per_item['machine']} ms of CPU ({parts})"

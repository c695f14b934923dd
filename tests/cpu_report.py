"""Per-test CPU time, for finding what makes CI slow (issue 10).

    .venv/bin/python -m pytest -p tests.cpu_report ...   # CPU_REPORT=file.tsv

Each test's user + system time of its worker process and the children that
worker waited for (os.times), setup to teardown, is appended to the file
CPU_REPORT names (default test-artifacts/cpu.tsv) as "own<TAB>children<TAB>
wall<TAB>nodeid": the worker's own seconds, its reaped children's, and the
wall-clock seconds (wall well above CPU is a test that waits). A child that
outlives its test (a browser shared by a session, a server) is counted in the
test during which it is reaped, so read the children column with care.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _cpu() -> tuple[float, float, float]:
    t = os.times()
    return t.user + t.system, t.children_user + t.children_system, t.elapsed


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    # Runs where the test runs (an xdist worker), not in the controller.
    before = _cpu()
    try:
        return (yield)
    finally:
        path = Path(os.environ.get("CPU_REPORT", "test-artifacts/cpu.tsv"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            spent = [now - then for now, then in zip(_cpu(), before, strict=True)]
            out.write("\t".join(f"{s:.3f}" for s in spent) + f"\t{item.nodeid}\n")

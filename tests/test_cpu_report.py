"""tests/cpu_report.py writes one line per test: own CPU, children's CPU,
wall seconds and the node id (what .ci/run leaves in test-artifacts)."""

import os
import subprocess
import sys

import pytest

from tests.paths import ROOT

pytestmark = pytest.mark.once


def test_each_test_gets_a_line_with_its_cpu_its_childrens_and_its_wall_time(
    tmp_path,
):
    (tmp_path / "test_sample.py").write_text(
        "import subprocess, sys\n"
        "def test_busy():\n"
        "    sum(i * i for i in range(2_000_000))\n"
        "def test_child():\n"
        "    subprocess.run([sys.executable, '-c', 'sum(range(3_000_000))'])\n"
    )
    report = tmp_path / "cpu.tsv"
    env = {**os.environ, "CPU_REPORT": str(report), "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.cpu_report", "-p", "no:django"]
        + ["-p", "no:cacheprovider", "-q", "test_sample.py"],
        cwd=tmp_path, env=env, check=True, capture_output=True,
    )  # fmt: skip
    rows = [line.split("\t") for line in report.read_text().splitlines()]
    assert [row[3] for row in rows] == [
        "test_sample.py::test_busy",
        "test_sample.py::test_child",
    ]
    (busy_own, busy_children, busy_wall), (_, child_children, child_wall) = (
        [float(x) for x in row[:3]] for row in rows
    )
    assert busy_own > 0.05 and busy_children == 0 and busy_wall >= busy_own * 0.5
    assert child_children > 0.02 and child_wall > 0

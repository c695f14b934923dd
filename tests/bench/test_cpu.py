"""bench/cpu.py: CPU by who spent it, from /proc."""

import os
import time

import pytest

from bench import cpu

TICK = os.sysconf("SC_CLK_TCK")


def stat_line(pid: int, comm: str, utime: int, stime: int) -> str:
    # pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt
    # cmajflt utime stime ...
    return f"{pid} ({comm}) S 1 1 1 0 -1 0 0 0 0 0 {utime} {stime} 0 0 20 0 1 0\n"


def fake_proc(tmp_path, processes, busy_ticks):
    for pid, comm, cmdline, utime, stime in processes:
        folder = tmp_path / str(pid)
        folder.mkdir()
        (folder / "stat").write_text(stat_line(pid, comm, utime, stime))
        (folder / "cmdline").write_bytes(cmdline)
    user, system, idle, softirq = busy_ticks
    (tmp_path / "stat").write_text(
        f"cpu  {user} 0 {system} {idle} 0 0 {softirq} 0 0 0\ncpu0 1 0 1 1 0 0 0 0 0 0\n"
    )
    (tmp_path / "self").mkdir()  # not a pid: skipped
    return tmp_path


def test_a_command_with_spaces_and_parentheses_is_read_past_its_last_parenthesis():
    line = stat_line(7, "gunicorn: worker (app) [x]", 150, 50)
    assert cpu._seconds(line, 100) == pytest.approx(2.0)


def test_processes_are_grouped_by_what_they_run():
    me = 10
    assert cpu.group_of(10, "python", b"anything", me=me) == "client"
    assert cpu.group_of(11, "postgres", b"postgres: 15/main: user db", me=me) == (
        "postgres"
    )
    worker = b"/venv/bin/python\0/venv/bin/gunicorn\0genai_prep.wsgi"
    assert cpu.group_of(12, "python", worker, me=me) == "gunicorn"
    assert cpu.group_of(13, "bash", b"bash\0-c\0make", me=me) is None


def test_a_snapshot_reads_each_process_of_each_group_and_the_machine(tmp_path):
    proc = fake_proc(
        tmp_path,
        [
            (101, "python", b"python\0gunicorn\0app", 3 * TICK, TICK),
            (102, "python", b"python\0gunicorn\0app", TICK, 0),
            (201, "postgres", b"postgres: main", 2 * TICK, 0),
            (301, "bash", b"bash", 50 * TICK, 0),
        ],
        busy_ticks=(60 * TICK, 10 * TICK, 900 * TICK, 2 * TICK),
    )
    assert cpu.snapshot(proc) == {
        "gunicorn": {101: 4.0, 102: 1.0},
        "postgres": {201: 2.0},
        "client": {},
        "machine": 72.0,
    }


def snap(gunicorn, postgres, client, machine):
    return {
        "gunicorn": gunicorn,
        "postgres": postgres,
        "client": client,
        "machine": machine,
    }


def test_the_split_per_card_gives_the_rest_of_the_machine_as_other():
    before = snap({1: 1.0}, {2: 1.0}, {3: 1.0}, 10.0)
    after = snap({1: 3.0}, {2: 2.0}, {3: 1.5}, 15.0)
    per_card = cpu.split(before, after, 500)
    # 5 s of the machine over 500 cards: 10 ms a card, of which 4 + 2 + 1 by
    # the three groups and 3 by the rest.
    assert per_card == {
        "gunicorn": 4.0,
        "postgres": 2.0,
        "client": 1.0,
        "machine": 10.0,
        "other": 3.0,
    }
    assert cpu.split(before, after, 0) is None
    assert cpu.line(per_card).startswith("10.0 ms of CPU (gunicorn 4.0, postgres 2.0")


def test_a_process_that_ends_or_starts_during_a_phase_never_counts_below_zero():
    # Backend 2 (8 s before) ended; backend 4 started and spent 0.5 s. What
    # backend 2 spent before it ended stays in the machine's busy time.
    before = snap({1: 1.0}, {2: 8.0}, {}, 10.0)
    after = snap({1: 2.0}, {4: 0.5}, {}, 13.0)
    assert cpu.spent(before, after) == {
        "gunicorn": 1.0,
        "postgres": 0.5,
        "client": 0.0,
        "machine": 3.0,
    }


def test_this_process_burning_cpu_shows_as_the_client_on_the_real_proc():
    before = cpu.snapshot()
    end = time.process_time() + 0.3
    while time.process_time() < end:
        pass
    seconds = cpu.spent(before, cpu.snapshot())
    assert seconds["client"] >= 0.25
    assert seconds["machine"] >= 0.25

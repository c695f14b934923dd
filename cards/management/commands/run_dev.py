"""make run: the development server, one queue worker and the periodic tick.

The three run as children in a process group of their own; Ctrl+C (or
SIGTERM) here stops that whole group, grandchildren such as runserver's
autoreloader included, and the children also get SIGTERM from the kernel if
this process dies first (PR_SET_PDEATHSIG), so nothing is left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandParser

PR_SET_PDEATHSIG = 1
GRACE_SECONDS = 10


def _die_with_parent() -> None:
    # Not on Linux, prctl is missing; the process group still does the job.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Command(BaseCommand):
    help = "Run runserver, a db_worker and reminders_tick together (make run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--tick-every", type=float, default=60, metavar="SECONDS")

    def handle(self, *, addrport: str, tick_every: float, **options) -> None:
        manage = [sys.executable, "-m", "django"]
        commands = {
            "web": [*manage, "runserver", addrport],
            "worker": [*manage, "db_worker", "--no-reload", "--interval", "1"],
            "tick": [*manage, "reminders_tick", "--every", str(tick_every), "-v", "2"],
        }
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "genai_prep.settings"}
        group = 0
        children: dict[str, subprocess.Popen] = {}
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            for name, argv in commands.items():

                def setup(group: int = group) -> None:
                    # The children's own group: a terminal's Ctrl+C reaches only
                    # us, and we stop all of them, in order, below.
                    os.setpgid(0, group)
                    signal.signal(signal.SIGINT, signal.SIG_DFL)
                    _die_with_parent()

                children[name] = subprocess.Popen(argv, env=env, preexec_fn=setup)
                group = group or children[name].pid
                self.stdout.write(f"started {name} (pid {children[name].pid})")
            while not stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(
                            f"{name} exited ({child.returncode}); stopping"
                        )
                        stopping = True
                time.sleep(0.2)
        finally:
            self._stop_group(group, children)

    def _stop_group(self, group: int, children: dict[str, subprocess.Popen]) -> None:
        if group:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(group, sig)
                if _wait_gone(group, children):
                    break
        for child in children.values():
            child.wait()
        self.stdout.write("stopped web, worker and tick")


def _wait_gone(group: int, children: dict[str, subprocess.Popen]) -> bool:
    """Wait until no process of `group` is left (grandchildren included)."""
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline:
        for child in children.values():
            child.poll()  # reap, so a zombie does not count as alive
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False

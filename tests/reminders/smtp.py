"""A real SMTP server (aiosmtpd) inside the test process, and the queue's worker.

`smtp` starts a server on a free port of 8725-8750 and points the default
mailer at it; each message it accepts is parsed into `smtp.messages`.
`db_queue` puts django.tasks on the database queue (django-tasks-db, as in
production) and `run_worker()` drains it in this thread with the real worker.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import errno
import random
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer

PORTS = range(8725, 8751)
DB_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


def free_port(ports=PORTS) -> int:
    """A port of `ports` that is free now, tried in random order (two suites on
    one machine, e.g. two checkouts, then rarely race for the same one)."""
    for port in random.sample(list(ports), len(ports)):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports}")


@dataclass
class Inbox:
    port: int
    raw: list[tuple[tuple[str, ...], bytes]] = field(default_factory=list)
    refuse: bool = False  # answer every DATA with a temporary failure (451)
    stall: float = 0  # take the mail, then wait this long before answering
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd)
        if self.refuse:
            return "451 4.3.0 Try again later"
        with self.lock:  # parsed on demand: the server thread stays cheap
            self.raw.append((tuple(envelope.rcpt_tos), envelope.content))
        if self.stall:
            await asyncio.sleep(self.stall)
        return "250 OK"

    @property
    def recipients(self) -> list[str]:
        return [to for rcpts, _ in self.raw for to in rcpts]

    @property
    def messages(self) -> list:
        return [
            email.message_from_bytes(content, policy=email.policy.default)
            for _, content in self.raw
        ]

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


def smtp_mailer(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "cards.web.mail.SMTPBackend",
            # Generous: on a loaded machine a 5 s timeout fired spuriously.
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 30},
        }
    }


class _Controller(Controller):
    def factory(self):
        return SMTPServer(self.handler, hostname="localhost")


def start_smtp(tries: int = 10) -> tuple[Inbox, _Controller]:
    """Start a server on a free port; another process may take the port between
    the probe and the bind, so a port found busy is replaced by another."""
    for attempt in range(tries):
        inbox = Inbox(port=free_port())
        controller = _Controller(inbox, hostname="127.0.0.1", port=inbox.port)
        try:
            controller.start()
        except OSError as error:
            if error.errno != errno.EADDRINUSE or attempt == tries - 1:
                raise
            continue
        return inbox, controller
    raise AssertionError("unreachable")


@pytest.fixture
def smtp(settings):
    inbox, controller = start_smtp()
    settings.MAILERS = smtp_mailer(inbox.port)
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def db_queue(settings):
    settings.TASKS = DB_QUEUE


def run_worker(max_tasks: int | None = None) -> int:
    """Run every ready job with django-tasks-db's own worker; the number run."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run()
    return worker._run_tasks

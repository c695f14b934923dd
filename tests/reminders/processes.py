"""Tick and worker processes for the exactly-once test (started with `spawn`).

Each is a separate Python process with its own database connection, frozen at
the test's moment (time-machine, ticking), sending to the test's SMTP server.
"""

from __future__ import annotations

import os
import time
from datetime import datetime

# Twenty-odd processes importing Django on two busy cores take a while.
BARRIER_SECONDS = 300


def _setup(database: dict, smtp_port: int, moment: datetime):
    os.environ["DJANGO_SETTINGS_MODULE"] = "genai_prep.settings"
    from django.conf import settings

    settings.DATABASES["default"] = database
    import django

    django.setup()
    from tests.reminders.smtp import DB_QUEUE, smtp_mailer

    settings.MAILERS = smtp_mailer(smtp_port)
    # The soak (make reminders-soak) waits longer for a starved SMTP server.
    timeout = float(os.environ.get("REM_SMTP_TIMEOUT", 30))
    settings.MAILERS["default"]["OPTIONS"]["timeout"] = timeout
    settings.TASKS = DB_QUEUE
    import time_machine

    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    return traveller


def tick(database: dict, smtp_port: int, moment: datetime, barrier, results) -> None:
    _setup(database, smtp_port, moment)
    from django.db import connections

    from cards.reminders import services

    barrier.wait(timeout=BARRIER_SECONDS)
    # A small batch, so the two ticks interleave over many transactions; the
    # tick runs at the test's frozen moment, as cron would call it then.
    result = services.tick(now=moment, batch_size=50)
    connections.close_all()
    results.put(("tick", result.enqueued))


def work(database: dict, smtp_port: int, moment: datetime, barrier, stop, results):
    _setup(database, smtp_port, moment)
    from django.db import connections
    from django_tasks_db.management.commands.db_worker import Worker

    barrier.wait(timeout=BARRIER_SECONDS)
    ran = 0
    while not stop.is_set():
        worker = Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"w{os.getpid()}",
            excluded_queue_names=[],
        )
        worker.run()
        ran += worker._run_tasks
        # Idle poll; twenty workers polling at 20 Hz starve two cores.
        time.sleep(float(os.environ.get("REM_WORKER_IDLE", 0.05)))
    connections.close_all()
    results.put(("worker", ran))


def sink(port, ready, stop, results) -> None:
    """A real SMTP server in its own process; reports each recipient at the end.

    `port` is a shared integer: the server sets it to the port it listens on."""
    from tests.reminders.smtp import start_smtp

    inbox, controller = start_smtp()
    port.value = inbox.port
    ready.set()
    stop.wait(timeout=600)
    controller.stop()
    results.put(("sink", inbox.recipients))

"""gunicorn settings: `gunicorn -c python:genai_prep.gunicorn_conf genai_prep.wsgi`.

Everything else (bind, workers) comes from the command line or GUNICORN_CMD_ARGS.
With PROMETHEUS_MULTIPROC_DIR set, the directory is emptied when the server
starts and a dead worker's live samples are dropped (prometheus-client's
multiprocess mode); counters it had written are kept.
"""

import os
from pathlib import Path

# A rolling restart sends SIGTERM: finish the requests in flight first.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# One access line per request comes from Django (genai_prep.access, with the
# request id); gunicorn's own would repeat it without the id.
accesslog = None


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for stale in Path(folder).glob("*.db"):
            stale.unlink()


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

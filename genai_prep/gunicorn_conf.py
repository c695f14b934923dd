"""gunicorn settings: `gunicorn -c python:genai_prep.gunicorn_conf genai_prep.wsgi`.

Everything else (bind, workers) comes from the command line or GUNICORN_CMD_ARGS.
With PROMETHEUS_MULTIPROC_DIR set, the directory is emptied when the server
starts and a dead worker's live samples are dropped (prometheus-client's
multiprocess mode); counters it had written are kept.
"""

import gc
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


def post_worker_init(worker):
    """Move what loading the app made (about 127,000 objects: modules, URL
    patterns, templates) out of the garbage collector's reach. Python's own
    advice for pre-fork servers (the `gc.freeze` documentation): they live as
    long as the worker, and a full collection walked all of them, a pause of
    about 75 ms every hundred-odd requests on this machine (tail latency), and
    0.3-0.5 ms a request on average (issue 12, docs/PERFORMANCE.md)."""
    gc.freeze()


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

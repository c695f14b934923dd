"""/metrics under gunicorn with several workers: prometheus-client's
multiprocess mode adds up every worker's samples, whichever worker answers."""

import collections
import json
from concurrent.futures import ThreadPoolExecutor

from prometheus_client.mmap_dict import MmapedDict

from tests.ops.server import get, gunicorn, production_env
from tests.ops.test_metrics import TOKEN, samples, value

REQUESTS = 60


def test_every_scrape_counts_the_requests_of_every_worker(tmp_path):
    folder = tmp_path / "prometheus"
    (folder).mkdir()
    (folder / "counter_99999.db").write_bytes(b"stale")  # from a previous run
    env = production_env(
        PROMETHEUS_MULTIPROC_DIR=str(folder),
        METRICS_TOKEN=TOKEN,
        DJANGO_DATA_DIR=str(tmp_path),
    )
    with gunicorn(env, tmp_path / "gunicorn.log", workers=2) as base:
        # The second worker may still be booting on a busy machine: send
        # batches until both have served some (or give up after 40 batches).
        sent, statuses = 0, []
        with ThreadPoolExecutor(4) as pool:
            for _ in range(40):
                statuses += pool.map(
                    lambda _: get(base + "/healthz")[0], range(REQUESTS)
                )
                sent += REQUESTS
                if sum(1 for p in folder.glob("counter_*.db") if served(p)) == 2:
                    break
        assert statuses == [200] * sent
        scrapes = [
            get(base + "/metrics", {"Authorization": f"Bearer {TOKEN}"})
            for _ in range(6)
        ]
        heads = [
            get(base + path, {"Authorization": f"Bearer {TOKEN}"}, method="HEAD")
            for path in ("/healthz", "/readyz", "/metrics")
        ]
        per_worker = {
            p.stem.rsplit("_", 1)[-1]: served(p) for p in folder.glob("counter_*.db")
        }
    counted = collections.Counter()
    for status, _, text in scrapes:
        assert status == 200
        found = samples(text)
        counted[
            value(
                found,
                "genai_prep_http_requests_total",
                view="healthz",
                method="GET",
                status="200",
            )
        ] += 1
    # The startup probe (one /healthz) is counted too.
    assert counted == {sent + 1: 6}
    # HEAD answers with headers only (gunicorn warns about a body it drops).
    # (/readyz: 503, this server's empty SQLite file has no migrations.)
    assert [(status, body) for status, _, body in heads] == [
        (200, ""),
        (503, ""),
        (200, ""),
    ]
    assert "no-body response" not in (tmp_path / "gunicorn.log").read_text()
    # Both workers served some: the sum really adds up two processes' files.
    assert "99999" not in per_worker  # the stale file was removed at start
    assert len(per_worker) == 2 and all(per_worker.values()), per_worker


def served(path) -> float:
    """The /healthz GET 200 count in one worker's file."""
    for key, count, *_ in MmapedDict.read_all_values_from_file(str(path)):
        name, _, labels, _ = json.loads(key)
        if name == "genai_prep_http_requests" and labels == {
            "view": "healthz",
            "method": "GET",
            "status": "200",
        }:
            return count
    return 0.0

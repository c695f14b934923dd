"""genai_prep/gunicorn_conf.py: what it does to a worker once the app is loaded."""

import gc

from genai_prep import gunicorn_conf


def test_a_worker_freezes_the_objects_loading_the_app_made():
    assert gc.get_freeze_count() == 0
    try:
        gunicorn_conf.post_worker_init(worker=None)
        # Everything tracked so far (a loaded Django: tens of thousands) is out
        # of the collector's generations, so a full collection skips it.
        assert gc.get_freeze_count() > 10_000
        assert sum(gc.get_count()) < 10_000
    finally:
        gc.unfreeze()

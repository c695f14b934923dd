"""Django's file-based cache, without a directory listing on every write.

`FileBasedCache.set()` calls `_cull()`, which globs the whole cache directory
to count its files before it writes one. The sessions cache (one file per
session, kept for SESSION_COOKIE_AGE) is written on every card (the carried
queue counts, cards/review/queue_next.py), so each card paid for a listing of
every session on the host: 1.1 ms per set with an empty directory and 33 ms
with 10,000 files, measured on this machine. Here a process counts the files
once every CULL_CHECK_EVERY writes (OPTIONS, default 200) and culls as
Django does when there are too many: the directory may overshoot MAX_ENTRIES
by at most CULL_CHECK_EVERY files per worker process before it is trimmed.
"""

from __future__ import annotations

import itertools

from django.core.cache.backends import filebased


class FileBasedCache(filebased.FileBasedCache):
    def __init__(self, dir, params):  # noqa: A002 (Django's signature)
        options = dict(params.get("OPTIONS") or {})
        self._check_every = max(1, int(options.pop("CULL_CHECK_EVERY", 200)))
        super().__init__(dir, {**params, "OPTIONS": options})
        self._writes = itertools.count(1)

    def _cull(self):
        if next(self._writes) % self._check_every == 0:
            super()._cull()

"""The per-host shared cache for sessions, signed-in users and carried counts.

Django's FileBasedCache lists its whole directory on every write to decide
whether to cull (`_cull` globs every file, then returns early below
MAX_ENTRIES). With 100,000 entries allowed, a host with thousands of sessions
pays a directory listing per grade (the carried counts are written on every
card, issue 12). Here the count runs on one write in `CULL_EVERY` (per
process, deterministic), so the directory may overshoot MAX_ENTRIES by at most
that many files per worker before culling starts, as Django's would.
"""

from __future__ import annotations

import itertools

from django.core.cache.backends.filebased import FileBasedCache


class SharedFileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        options = params.get("OPTIONS", {})
        self._cull_every = max(1, int(options.get("CULL_EVERY", 100)))
        self._writes = itertools.count(1)

    def _cull(self) -> None:
        if next(self._writes) % self._cull_every == 0:
            super()._cull()

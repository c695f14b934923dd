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

A write also does not rename its file over the old one. On ext4 (auto_da_alloc)
a rename that replaces a file starts the new file's writeback before it
returns: 0.6-1.0 ms of wall time per write on this machine, against 0.06-0.09
ms when the old file is unlinked first (and 0.17 -> 0.05 ms of CPU). A reader
in between finds no entry, which every user of this cache already handles
(a session or user read from the database, the queue's counts counted afresh).
The crash guarantee that rename gave (the old content or the new) is not
needed by a cache: an entry left empty or cut short reads as a miss.

An entry is compressed with a 512-byte window and the least memory: zlib's
defaults set up a 32 KB window and 256 KB of state for every call, ~50 us of
CPU for an entry of a few hundred bytes (every card writes one), against ~5.
It is still zlib's format, which Django's reader decompresses as before.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pickle
import tempfile
import zlib

from django.core.cache.backends import filebased
from django.core.cache.backends.base import DEFAULT_TIMEOUT


class FileBasedCache(filebased.FileBasedCache):
    def __init__(self, dir, params):  # noqa: A002 (Django's signature)
        options = dict(params.get("OPTIONS") or {})
        self._check_every = max(1, int(options.pop("CULL_CHECK_EVERY", 200)))
        super().__init__(dir, {**params, "OPTIONS": options})
        self._writes = itertools.count(1)

    def _cull(self):
        if next(self._writes) % self._check_every == 0:
            super()._cull()

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        fname = self._key_to_file(key, version)
        self._cull()
        try:
            fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        except FileNotFoundError:  # the directory was removed meanwhile
            self._createdir()
            fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        renamed = False
        try:
            with open(fd, "wb") as f:
                self._write_content(f, timeout, value)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(fname)
            os.rename(tmp_path, fname)
            renamed = True
        finally:
            if not renamed:
                os.remove(tmp_path)

    def _write_content(self, file, timeout, value):
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        packer = zlib.compressobj(6, zlib.DEFLATED, 9, 1)
        data = pickle.dumps(value, self.pickle_protocol)
        file.write(packer.compress(data) + packer.flush())

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except (EOFError, zlib.error, pickle.UnpicklingError):
            # Cut short (a crash before its data reached the disk): a miss.
            self.delete(key, version)
            return default

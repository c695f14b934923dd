"""The sessions' file cache: Django's behaviour, without listing on every write."""

import os
import shutil
from pathlib import Path

from cards.web.filecache import FileBasedCache


def cache_in(folder: Path, **options) -> FileBasedCache:
    return FileBasedCache(str(folder), {"OPTIONS": options, "TIMEOUT": 60})


def files(folder: Path) -> int:
    return len(list(folder.glob("*.djcache")))


def test_keeps_what_it_stores(tmp_path):
    cache = cache_in(tmp_path)
    cache.set("figures", {"due": 3, "new": 10})
    assert cache.get("figures") == {"due": 3, "new": 10}
    cache.delete("figures")
    assert cache.get("figures") is None


def test_lists_the_directory_once_every_n_writes(tmp_path, monkeypatch):
    cache = cache_in(tmp_path, CULL_CHECK_EVERY=10)
    listings = []
    real = cache._list_cache_files
    monkeypatch.setattr(
        cache, "_list_cache_files", lambda: listings.append(1) or real()
    )
    for n in range(100):
        cache.set(f"key-{n}", n)
    assert len(listings) == 10  # Django's own lists it 100 times


def test_still_culls_when_over_max_entries(tmp_path):
    cache = cache_in(tmp_path, MAX_ENTRIES=20, CULL_FREQUENCY=2, CULL_CHECK_EVERY=5)
    most = 0
    for n in range(200):
        cache.set(f"key-{n}", n)
        most = max(most, files(tmp_path))
    assert most <= 20 + 5  # overshoots by at most CULL_CHECK_EVERY
    assert files(tmp_path) < 200
    assert cache.get("key-199") == 199


def test_a_write_never_renames_over_the_old_file(tmp_path, monkeypatch):
    # ext4 flushes a file renamed over another before the rename returns.
    cache = cache_in(tmp_path)
    cache.set("figures", 1)
    renames, real = [], os.rename
    monkeypatch.setattr(
        os,
        "rename",
        lambda old, new: renames.append(os.path.exists(new)) or real(old, new),
    )
    cache.set("figures", 2)
    assert renames == [False] and cache.get("figures") == 2
    assert files(tmp_path) == 1 and len(os.listdir(tmp_path)) == 1  # no temp left


def test_a_removed_directory_is_made_again(tmp_path):
    cache = cache_in(tmp_path / "sessions")
    shutil.rmtree(tmp_path / "sessions")
    cache.set("figures", 3)
    assert cache.get("figures") == 3


def test_an_entry_cut_short_reads_as_a_miss(tmp_path):
    cache = cache_in(tmp_path)
    cache.set("figures", {"due": 3})
    (path,) = tmp_path.glob("*.djcache")
    path.write_bytes(path.read_bytes()[:-4])
    assert cache.get("figures", "missing") == "missing"
    assert files(tmp_path) == 0


def test_the_sessions_cache_uses_it():
    from django.core.cache import caches

    assert isinstance(caches["sessions"], FileBasedCache)


def test_entries_stay_readable_by_djangos_own_file_cache(tmp_path):
    # Written with a small zlib window; read back by Django's class, and the
    # other way round (entries written before the change, another version).
    from django.core.cache.backends.filebased import FileBasedCache as Djangos

    ours, theirs = cache_in(tmp_path), Djangos(str(tmp_path), {"TIMEOUT": 60})
    value = {"text": "x" * 5000 + "".join(map(str, range(2000))), "n": 3}
    ours.set("a", value)
    assert theirs.get("a") == value
    theirs.set("b", value)
    assert ours.get("b") == value
    assert ours.get("a") == value

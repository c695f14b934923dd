from pathlib import Path

from cards.web.filecache import SharedFileCache


def _cache(tmp_path: Path, **options) -> SharedFileCache:
    return SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 5, **options}})


def _files(tmp_path: Path) -> int:
    return len(list(tmp_path.glob("*.djcache")))


def test_counts_its_files_only_on_every_nth_write(tmp_path):
    cache = _cache(tmp_path, CULL_EVERY=4)
    for i in range(7):
        cache.set(f"k{i}", i)
    # Writes 1-7 checked the count once (write 4: 3 files, under 5): none culled.
    assert _files(tmp_path) == 7
    cache.set("k7", 7)  # write 8 counts 7 files: culls a third (2), then writes
    assert _files(tmp_path) == 6


def test_with_cull_every_1_it_culls_as_django_does(tmp_path):
    cache = _cache(tmp_path, CULL_EVERY=1)
    for i in range(6):
        cache.set(f"k{i}", i)
    assert _files(tmp_path) == 5  # write 6 found 5 files and removed one


def test_reads_and_writes_as_the_file_cache(tmp_path):
    cache = _cache(tmp_path)
    cache.set("a", {"n": 1})
    assert cache.get("a") == {"n": 1}
    cache.delete("a")
    assert cache.get("a") is None

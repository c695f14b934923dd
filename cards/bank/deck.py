"""The learners' Anki deck, built once per version of the bank and kept as a file.

Building the .apkg renders every active question (about 3 s for 10,000), so
it is built when the bank's version changes and kept under
DATA_DIR/cache/, which every worker of one installation shares. The version
(also the ETag) is a digest of the shared active questions' ids, levels,
positions, keys and `updated_at` (every write of a question through save()
or the services moves it), and DECK_FORMAT for changes to the builder.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db.models import QuerySet

from cards.bank import anki
from cards.models import Question

DECK_FORMAT = 2  # bump when anki.build_package's output changes


def _shared() -> QuerySet[Question]:
    """Active questions every learner may see: none of an opt-in topic (the
    demo's placeholders are for the demo learner alone)."""
    return Question.objects.active().exclude(topics__is_opt_in=True)


def bank_version() -> str:
    # Small columns only (about 10 ms for 10,000 questions); the text is read
    # only when a new version is built.
    digest = hashlib.sha256(f"format {DECK_FORMAT}".encode())
    rows = (
        _shared()
        .order_by("id")
        .values_list("id", "level", "position", "key", "updated_at")
    )
    for row in rows.iterator(chunk_size=5_000):
        digest.update(repr(row).encode())
    return digest.hexdigest()[:32]


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_deck(version: str) -> BinaryIO:
    """The deck of bank `version`, built now if no worker has built it yet."""
    path = _folder() / f"deck-{version}.apkg"
    try:
        return path.open("rb")
    except FileNotFoundError:
        pass
    questions = (
        _shared()
        .order_by("level", "position", "key")
        .prefetch_related("topics", "key_points")
    )
    content = anki.build_package(questions)
    # Written aside and renamed: a worker never serves a half-written file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.replace(temporary, path)
    for old in path.parent.glob("deck-*.apkg"):
        if old != path:
            old.unlink(missing_ok=True)
    return io.BytesIO(content)

"""Usernames that look alike: the confusable skeleton of Unicode TR39 (UTS #39).

skeleton(X) is NFD(X), each character replaced by its prototype from
Unicode's confusables.txt (vendored in unicode/, with its licence), then NFD
again (UTS #39 section 4). Two strings are confusable when their skeletons
are equal: Cyrillic "а" and Latin "a" share one, and so do "rn" and "m".
Pure: the standard library only.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

CONFUSABLES = Path(__file__).with_name("unicode") / "confusables.txt"


@cache
def _prototypes() -> dict[str, str]:
    table = {}
    for line in CONFUSABLES.read_text(encoding="utf-8").splitlines():
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        source, target, _kind = (part.strip() for part in body.split(";"))
        table[chr(int(source, 16))] = "".join(chr(int(c, 16)) for c in target.split())
    return table


def skeleton(text: str) -> str:
    table = _prototypes()
    mapped = "".join(table.get(c, c) for c in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped)


def username_key(username: str) -> str:
    """What two usernames must not share: the skeleton, case folded in between.

    Django already refuses a username equal to another but for case; folding
    the skeleton's case (and taking the skeleton again) also catches "AIice"
    (capital I) beside "alice".
    """
    return skeleton(skeleton(username).casefold())

"""Line and word differences between two texts, shaped for a template (difflib),
and as HTML for the admin."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

# Words and punctuation carry their trailing space, so a run of changed words
# reads as one change instead of being split at every matching space.
TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "removed" or "added"
    # (kind, text) runs; within a changed line the changed words are marked.
    segments: tuple[tuple[str, str], ...]

    @property
    def sign(self) -> str:
        return {"same": " ", "removed": "-", "added": "+"}[self.kind]


def _words(old: str, new: str) -> tuple[DiffLine, DiffLine]:
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    removed: list[tuple[str, str]] = []
    added: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            removed.append(("same", "".join(a[i1:i2])))
            added.append(("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            removed.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            added.append(("added", "".join(b[j1:j2])))
    return DiffLine("removed", tuple(removed)), DiffLine("added", tuple(added))


def diff_lines(old: str, new: str) -> list[DiffLine]:
    """`old` to `new` line by line; paired changed lines show word changes."""
    a, b = old.split("\n"), new.split("\n")
    rows: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [DiffLine("same", (("same", line),)) for line in a[i1:i2]]
            continue
        olds, news = a[i1:i2], b[j1:j2]
        pairs = min(len(olds), len(news)) if op == "replace" else 0
        for k in range(pairs):
            rows += _words(olds[k], news[k])
        rows += [DiffLine("removed", (("removed", line),)) for line in olds[pairs:]]
        rows += [DiffLine("added", (("added", line),)) for line in news[pairs:]]
    return rows


def as_html(old: str, new: str) -> str:
    """The diff as escaped HTML for the admin (<del>/<ins> inside the changed lines)."""
    lines = []
    for row in diff_lines(old, new):
        parts = (
            format_html("<{0}>{1}</{0}>", _TAGS[kind], text)
            if kind in _TAGS
            else conditional_escape(text)
            for kind, text in row.segments
        )
        lines.append(
            format_html(
                '<div class="gp-diff-{}"><span class="gp-sign" aria-hidden="true">'
                "{}</span>{}</div>",
                row.kind,
                row.sign,
                mark_safe("".join(parts)),  # noqa: S308 - every part escaped above
            )
        )
    return format_html('<div class="gp-diff">{}</div>', mark_safe("".join(lines)))  # noqa: S308


_TAGS = {"removed": "del", "added": "ins"}

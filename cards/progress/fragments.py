"""The progress page's history sections (activity charts, study calendar), rendered once per content.

Both sections are pure functions of the learner's per-day rollup rows (read
on every request anyway: one row per study day), the study day and the range.
The rendered HTML is cached under a digest of exactly those inputs, so there
is nothing to invalidate: a grade, an undo or an import changes a StudyDay
row, hence the digest, hence the key, and the next request renders afresh. A
stale entry can only be one nobody asks for again; it expires. Two learners
with the same rows would share an entry, harmlessly: its HTML is the same
(nothing personal but the numbers, no CSRF token, no nonce).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from pathlib import Path

from django.core.cache import caches
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe

from cards import progress as charts
from cards.progress.calendar_map import heatmap
from cards.progress.core import DayActivity

TEMPLATE = "cards/progress.html"
# The code that draws the sections: its digest is part of every key, so a
# deploy never serves an entry that the previous code drew (workers share
# Redis in production, old and new side by side during a rolling deploy).
DRAWN_BY = ("calendar_map", "core", "geometry", "markup", "recent")
CACHE_ALIAS = "progress"  # its own, with its timeout (genai_prep/settings.py)


def digest(days: Sequence[DayActivity]) -> str:
    """A digest of every counter of every day: equal only for equal rows."""
    h = hashlib.blake2b(digest_size=16)
    h.update(
        ";".join(
            f"{d.day.toordinal()},{d.reviews},{d.new},{d.again},{d.hard},"
            f"{d.good},{d.easy},{d.scheduled},{d.passed},{d.ms}"
            for d in days
        ).encode()
    )
    return h.hexdigest()


@cache
def code_stamp() -> str:
    """A digest of the template and the modules that draw the sections."""
    h = hashlib.blake2b(digest_size=6)
    h.update(get_template(TEMPLATE).template.source.encode())
    here = Path(__file__).parent
    for name in DRAWN_BY:
        h.update((here / f"{name}.py").read_bytes())
    return h.hexdigest()


def _cached(key: str, render: Callable[[], str]) -> SafeString:
    store = caches[CACHE_ALIAS]
    key = f"progress:{code_stamp()}:{key}"
    html = store.get(key)
    if html is None:
        html = render()
        store.set(key, html)
    return mark_safe(html)  # noqa: S308 -- our own template's output


def activity(
    days: Sequence[DayActivity], *, today: date, span: int, stamp: str | None = None
) -> SafeString:
    """The activity section (the htmx range switch swaps it), as HTML."""
    stamp = stamp or digest(days)
    return _cached(
        f"activity:{span}:{today.isoformat()}:{stamp}",
        lambda: render_to_string(
            f"{TEMPLATE}#activity",
            {"activity": charts.activity(days, today=today, span=span)},
        ),
    )


def calendar(
    days: Sequence[DayActivity], *, today: date, stamp: str | None = None
) -> SafeString:
    """The consistency section (the 12-month calendar), as HTML."""
    stamp = stamp or digest(days)
    return _cached(
        f"calendar:{today.isoformat()}:{stamp}",
        lambda: render_to_string(
            f"{TEMPLATE}#calendar", {"cal": heatmap(days, today=today)}
        ),
    )

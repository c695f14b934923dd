"""The charts' repeated elements as markup, built with format strings: pure, stdlib only.

A 365-day progress page draws about 2,000 SVG shapes and 1,500 table rows;
looping over them in the template cost most of the page's time (a variable
lookup, localisation and escaping per attribute). Here every number is one of
our own coordinates (written as the template wrote it: str()) and every text
is escaped with html.escape, which is what Django's escape does; `Markup`
tells Django's templates the result is already escaped (the `__html__`
protocol), so they print it as is. Nothing here is cached: each page builds
its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

__all__ = ["Markup", "bars", "cells", "table_body"]


class Markup(str):
    """Markup whose texts are escaped; templates print it unescaped."""

    __slots__ = ()

    def __html__(self) -> str:
        return self


def _t(value: object) -> str:
    return escape(str(value))


def bars(items: Iterable) -> Markup:
    """A bar chart's bars (geometry.Bar): a titled group of a full-height
    transparent target and the stacked rects."""
    out = []
    for bar in items:
        hit = bar.hit
        out.append(
            f'<g><title>{_t(bar.title)}</title><rect class="hit" x="{hit.x}" '
            f'y="{hit.y}" width="{hit.w}" height="{hit.h}" fill="transparent"/>'
        )
        out.extend(
            f'<rect class="{_t(r.css)}" x="{r.x}" y="{r.y}" width="{r.w}" '
            f'height="{r.h}"/>'
            for r in bar.rects
        )
        out.append("</g>")
    return Markup("".join(out))


def cells(items: Iterable, *, size: int) -> Markup:
    """The heatmap's day squares (geometry.Cell), each with its tooltip."""
    return Markup(
        "".join(
            f'<rect class="{_t(c.css)}" x="{c.x}" y="{c.y}" width="{size}" '
            f'height="{size}" rx="2"><title>{_t(c.title)}</title></rect>'
            for c in items
        )
    )


def table_body(rows: Iterable[Iterable[object]], *, columns: int) -> Markup:
    """A data table's rows: the first cell of each is its row header."""
    out = []
    for row in rows:
        out.append("<tr>")
        for i, cell in enumerate(row):
            out.append(
                f'<th scope="row">{_t(cell)}</th>' if i == 0 else f"<td>{_t(cell)}</td>"
            )
        out.append("</tr>")
    if not out:
        out.append(f'<tr><td colspan="{columns}">No data yet.</td></tr>')
    return Markup("".join(out))

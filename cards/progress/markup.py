"""The charts' repeated elements as markup, built with format strings: pure, stdlib only.

A 365-day progress page lays out about 2,000 SVG rectangles; looping over
them in the template cost most of the page's time (a variable lookup,
localisation and escaping per attribute), and one element per rectangle made
most of its bytes: here every css class's rectangles are one <path>. Every
number is one of our own coordinates (written as the template wrote it:
str()) and every text is escaped with html.escape, which is what Django's
escape does; `Markup` tells Django's templates the result is already escaped
(the `__html__` protocol), so they print it as is.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

__all__ = ["Markup", "bars", "paths", "table_body"]


class Markup(str):
    """Markup whose texts are escaped; templates print it unescaped."""

    __slots__ = ()

    def __html__(self) -> str:
        return self


def _t(value: object) -> str:
    return escape(str(value))


def paths(items: Iterable) -> Markup:
    """geometry.Path shapes: one <path> per css class."""
    return Markup("".join(f'<path class="{_t(p.css)}" d="{p.d}"/>' for p in items))


def bars(shapes: Iterable, hits: Iterable = ()) -> Markup:
    """A bar chart's bars (geometry.Path per class), then the tooltips of the
    columns that have one (geometry.Hit): a titled, transparent full-height
    target each."""
    out = [paths(shapes)]
    out.extend(
        f'<g><title>{_t(h.title)}</title><rect class="hit" x="{h.rect.x}" '
        f'y="{h.rect.y}" width="{h.rect.w}" height="{h.rect.h}" '
        'fill="transparent"/></g>'
        for h in hits
    )
    return Markup("".join(out))


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

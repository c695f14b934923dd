"""Generic geometry for server-rendered SVG charts: pure functions, stdlib only.

Coordinates are in viewBox units; templates only copy them into attributes.
A chart's viewBox is small (360 wide) so that its text stays legible when the
SVG is scaled to a phone's width or to half a desktop container.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from cards.progress import markup

WIDTH = 360
HEIGHT = 196
# Plot margins: room for y tick labels on the left, the y-axis label above and
# the x tick labels plus the x-axis label below.
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 26, 38
HEAT_CELL, HEAT_PITCH = 10, 12
HEAT_LEFT, HEAT_TOP = 30, 18
# Room after the last week for a month label that starts there ("Dec" on 2 Dec).
HEAT_RIGHT = 28
HEAT_LEVELS = 4


def _r(value: float) -> float:
    """Round a coordinate to keep the markup short."""
    return round(value, 2)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    css: str = ""


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str
    anchor: str = "middle"


@dataclass(frozen=True)
class LegendItem:
    css: str
    label: str


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def body(self) -> markup.Markup:
        return markup.table_body(self.rows, columns=len(self.head))


@dataclass(frozen=True)
class Column:
    """One bar to draw: stacked (css class, value) pairs from the bottom up.

    A column with a title gets a tooltip (a transparent full-height target
    titled in SVG); the per-day charts leave it empty, their table says it.
    """

    stacks: tuple[tuple[str, float], ...]
    title: str = ""
    label: str = ""  # x tick label; empty for no tick

    @property
    def total(self) -> float:
        return sum(v for _, v in self.stacks)


@dataclass(frozen=True)
class Hit:
    rect: Rect  # full-height transparent target, so thin bars still get a tooltip
    title: str


@dataclass(frozen=True)
class Path:
    """Every shape of one css class in one <path>: a subpath per rectangle."""

    css: str
    d: str


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    summary: str
    x_label: str
    y_label: str
    plot: Rect
    paths: tuple[Path, ...]
    hits: tuple[Hit, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    table: Table
    legend: tuple[LegendItem, ...] = ()
    empty_text: str = ""
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def bars_svg(self) -> markup.Markup:
        return markup.bars(self.paths, self.hits)

    @property
    def baseline(self) -> float:
        return _r(self.plot.y + self.plot.h)

    @property
    def plot_right(self) -> float:
        return _r(self.plot.x + self.plot.w)

    @property
    def tick_label_y(self) -> float:
        return _r(self.baseline + 14)

    @property
    def y_tick_x(self) -> float:
        return self.plot.x - 4

    @property
    def x_label_x(self) -> float:
        return _r(self.plot.x + self.plot.w / 2)

    @property
    def x_label_y(self) -> float:
        return self.height - 4

    @property
    def center_x(self) -> float:
        return _r(self.plot.x + self.plot.w / 2)

    @property
    def center_y(self) -> float:
        return _r(self.plot.y + self.plot.h / 2)


def nice_scale(
    max_value: float, *, ticks: int = 4, integer: bool = True
) -> tuple[float, float]:
    """(top, step) of an axis from 0 that holds `max_value` in about `ticks` steps.

    Steps are 1, 2 or 5 times a power of ten (at least 1 for counts).
    """
    if max_value <= 0:
        return (float(ticks), 1.0) if integer else (1.0, 0.25)
    raw = max_value / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if integer:
        step = max(1, step)
    top = step * math.ceil(max_value / step - 1e-9)
    return float(top), float(step)


def _format_number(value: float) -> str:
    return f"{value:g}"


# Width of an x tick label in viewBox units: labels are 14 px on a phone
# (app.css), about 0.6 em a character in the UI's sans-serif.
CHAR_W = 8.4
TICK_GAP = 4


def _inside(ticks: list[Tick]) -> list[Tick]:
    """Anchor the outermost labels so that they stay inside the viewBox."""
    out = []
    for tick in ticks:
        half = CHAR_W / 2 * len(tick.label)
        if tick.pos - half < 1:
            tick = Tick(tick.pos, tick.label, "start")
        elif tick.pos + half > WIDTH - 1:
            tick = Tick(tick.pos, tick.label, "end")
        out.append(tick)
    return out


def _extent(tick: Tick) -> tuple[float, float]:
    width = CHAR_W * len(tick.label)
    start = {"start": tick.pos, "end": tick.pos - width}.get(
        tick.anchor, tick.pos - width / 2
    )
    return start, start + width


def _spaced(ticks: list[Tick]) -> list[Tick]:
    """Drop labels that would touch their right-hand neighbour.

    The last label (the most recent day or week) is kept: an end-anchored last
    label ("30 Nov") once overlapped the one before it ("14 Sep30 Nov")."""
    kept: list[Tick] = []
    for tick in reversed(ticks):
        if kept and _extent(tick)[1] + TICK_GAP > _extent(kept[-1])[0]:
            continue
        kept.append(tick)
    return kept[::-1]


def bar_chart(
    *,
    key: str,
    title: str,
    summary: str,
    x_label: str,
    y_label: str,
    columns: Sequence[Column],
    table: Table,
    legend: Sequence[LegendItem] = (),
    empty_text: str = "",
    y_top: float | None = None,
    y_step: float | None = None,
    y_format: Callable[[float], str] = _format_number,
    integer: bool = True,
) -> BarChart:
    plot = Rect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM)
    highest = max((sum(v for _, v in c.stacks) for c in columns), default=0)
    if y_top is None or y_step is None:
        y_top, y_step = nice_scale(highest, integer=integer)
    scale = plot.h / y_top
    base = plot.y + plot.h
    y_ticks = tuple(
        Tick(_r(base - i * y_step * scale), y_format(i * y_step), "end")
        for i in range(round(y_top / y_step) + 1)
    )
    pitch = plot.w / max(1, len(columns))
    # Keep a visible gap between wide bars; very thin bars touch.
    width = pitch * (0.72 if pitch > 4 else 0.9)
    # One path per css class and no object per rect: a 365-day page lays out
    # about 1,500 of them. Rounded once per chart or column, not once per rect.
    segments: dict[str, list[str]] = {}
    hits, x_ticks = [], []
    bar_w, hit_w = _r(width), _r(pitch)
    # The subpath's constant tail ("h<w>v<h>h-<w>z" with h filled in).
    across, back = f"h{bar_w}v", f"h-{bar_w}z"
    offset = plot.x + (pitch - width) / 2
    for i, column in enumerate(columns):
        x = offset + i * pitch
        head = f"M{round(x, 2)} "
        top = base
        for css, value in column.stacks:
            if value <= 0:
                continue
            h = value * scale
            top -= h
            d = segments.get(css)
            if d is None:
                d = segments[css] = []
            d.append(f"{head}{round(top, 2)}{across}{round(h, 2)}{back}")
        if column.title:
            hit = Rect(_r(plot.x + i * pitch), plot.y, hit_w, plot.h)
            hits.append(Hit(hit, column.title))
        if column.label:
            x_ticks.append(Tick(_r(x + width / 2), column.label))
    x_ticks = _spaced(_inside(x_ticks))
    return BarChart(
        key=key,
        title=title,
        summary=summary,
        x_label=x_label,
        y_label=y_label,
        plot=plot,
        paths=tuple(Path(css, "".join(d)) for css, d in segments.items()),
        hits=tuple(hits),
        x_ticks=tuple(x_ticks),
        y_ticks=y_ticks,
        table=table,
        legend=tuple(legend),
        empty_text=empty_text,
    )


@dataclass(frozen=True)
class Cell:
    x: float
    y: float
    level: int
    is_streak: bool = False

    @property
    def css(self) -> str:
        return f"heat-{self.level}" + (" heat-streak" if self.is_streak else "")


@dataclass(frozen=True)
class Heatmap:
    key: str
    title: str
    summary: str
    cells: tuple[Cell, ...]
    month_ticks: tuple[Tick, ...]
    weekday_ticks: tuple[Tick, ...]
    legend: tuple[tuple[int, str], ...]  # (level, "1-3 reviews")
    table: Table
    width: int
    height: int
    cell: int = HEAT_CELL
    streak_note: str = ""
    x_label: str = "Columns are weeks, oldest on the left"
    y_label: str = "Rows are days of the week"
    weekday_x: int = HEAT_LEFT - 4

    @property
    def paths(self) -> tuple[Path, ...]:
        """The day squares, one path per colour (and per colour in the streak)."""
        segments: dict[str, list[str]] = {}
        size = self.cell
        for c in self.cells:
            segments.setdefault(c.css, []).append(
                f"M{c.x} {c.y}h{size}v{size}h-{size}z"
            )
        return tuple(Path(css, "".join(d)) for css, d in sorted(segments.items()))

    @property
    def cells_svg(self) -> markup.Markup:
        return markup.paths(self.paths)


def heat_thresholds(values: Iterable[int]) -> tuple[int, ...]:
    """Upper bounds of heat levels 1-3: the quartiles of the days with reviews.

    Level 4 is everything above the third quartile, so each colour covers
    about a quarter of the study days whatever the learner's volume.
    """
    busy = sorted(v for v in values if v > 0)
    if not busy:
        return ()
    return tuple(busy[math.ceil(len(busy) * k / 4) - 1] for k in (1, 2, 3))


def heat_level(value: int, thresholds: Sequence[int]) -> int:
    if value <= 0:
        return 0
    for level, bound in enumerate(thresholds, start=1):
        if value <= bound:
            return level
    return HEAT_LEVELS


def heat_legend(thresholds: Sequence[int], highest: int) -> tuple[tuple[int, str], ...]:
    """(level, "4–9 reviews") for each level that some count can reach."""
    items: list[tuple[int, str]] = [(0, "no reviews")]
    low = 1
    for level, high in enumerate((*thresholds, highest), start=1):
        if high < low:
            continue
        label = f"{low}" if low == high else f"{low}–{high}"
        items.append((level, f"{label} review" + ("" if high == 1 else "s")))
        low = high + 1
    return tuple(items)


def heat_position(week: int, weekday: int) -> tuple[float, float]:
    return HEAT_LEFT + week * HEAT_PITCH, HEAT_TOP + weekday * HEAT_PITCH


def heat_size(weeks: int) -> tuple[int, int]:
    return HEAT_LEFT + weeks * HEAT_PITCH + HEAT_RIGHT, HEAT_TOP + 7 * HEAT_PITCH + 2


@dataclass(frozen=True)
class StackRow:
    """One horizontal 100% bar (mastery per level)."""

    label: str
    note: str
    y: float
    rects: tuple[Rect, ...]
    titles: tuple[str, ...]

    @property
    def label_y(self) -> float:
        return _r(self.y - 5)

    @property
    def segments(self) -> tuple[tuple[Rect, str], ...]:
        return tuple(zip(self.rects, self.titles, strict=True))


@dataclass(frozen=True)
class StackChart:
    key: str
    title: str
    summary: str
    rows: tuple[StackRow, ...]
    legend: tuple[LegendItem, ...]
    x_ticks: tuple[Tick, ...]
    x_label: str
    width: int
    height: int
    axis_y: float


def stack_rows(
    rows: Sequence[tuple[str, str, Sequence[tuple[str, int, str]]]],
    *,
    left: float = 0,
    width: float = WIDTH,
    top: float = 20,
    bar: float = 16,
    pitch: float = 44,
) -> tuple[StackRow, ...]:
    """Lay out 100% bars: each row is (label, note, [(css, count, title)])."""
    out = []
    for i, (label, note, parts) in enumerate(rows):
        y = top + i * pitch
        total = sum(n for _, n, _ in parts)
        x, rects, titles = left, [], []
        for css, n, title in parts:
            if n <= 0 or total <= 0:
                continue
            w = width * n / total
            rects.append(Rect(_r(x), _r(y), _r(w), bar, css))
            titles.append(title)
            x += w
        out.append(StackRow(label, note, _r(y), tuple(rects), tuple(titles)))
    return tuple(out)

"""PURE: confidence calibration (issue 18) and the mock score over time.

For each confidence level, the share of the answers rated with it that were
then graded Good or better (the grade confirmed; for a typed answer that is
the grade given after seeing the key points). A share is shown only from
MIN_ANSWERS answers on; below that the page says "not enough answers yet".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

MIN_ANSWERS = 20
LEVELS = (
    (1, "Unsure", "unsure"),
    (2, "Fairly sure", "fairly sure"),
    (3, "Certain", "certain"),
)
TRUST_MORE = 80  # unsure but right this often: trust yourself more
CAREFUL = 70  # certain but right only this often: be more careful
BAR_WIDTH = 200
BAR_X = 100  # the bars start after their labels


@dataclass(frozen=True)
class Cell:
    confidence: int
    label: str
    answers: int
    good: int

    @property
    def enough(self) -> bool:
        return self.answers >= MIN_ANSWERS

    @property
    def percent(self) -> int | None:
        return round(100 * self.good / self.answers) if self.enough else None

    @property
    def text(self) -> str:
        n = f"{self.answers} answer{'' if self.answers == 1 else 's'}"
        if not self.enough:
            return f"not enough answers yet ({n})"
        return f"{self.percent}% right ({n})"

    @property
    def bar(self) -> int:
        return 0 if self.percent is None else round(BAR_WIDTH * self.percent / 100)


@dataclass(frozen=True)
class Row:
    name: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Calibration:
    overall: tuple[Cell, ...]
    by_level: tuple[Row, ...]
    by_topic: tuple[Row, ...]
    sentence: str

    @property
    def answers(self) -> int:
        return sum(c.answers for c in self.overall)

    @property
    def bars(self) -> list[Bar]:
        return [
            Bar(c, y=6 + 30 * i, text_y=20 + 30 * i, text_x=BAR_X + max(c.bar, 0) + 6)
            for i, c in enumerate(self.overall)
        ]


@dataclass(frozen=True)
class Bar:
    cell: Cell
    y: int
    text_y: int
    text_x: int


Counts = Iterable[tuple[int, str, int, int]]  # (confidence, group, answers, good)


def _cells(counts: dict[int, list[int]]) -> tuple[Cell, ...]:
    return tuple(
        Cell(value, label, *counts.get(value, [0, 0])) for value, label, _ in LEVELS
    )


def _rows(rows: Counts, order: Iterable[str] | None = None) -> tuple[Row, ...]:
    groups: dict[str, dict[int, list[int]]] = {}
    for confidence, group, answers, good in rows:
        pair = groups.setdefault(group, {}).setdefault(confidence, [0, 0])
        pair[0] += answers
        pair[1] += good
    names = list(order) if order is not None else sorted(groups)
    return tuple(Row(name, _cells(groups[name])) for name in names if name in groups)


def _overall(rows: tuple[Row, ...]) -> tuple[Cell, ...]:
    totals: dict[int, list[int]] = {}
    for row in rows:
        for c in row.cells:
            pair = totals.setdefault(c.confidence, [0, 0])
            pair[0] += c.answers
            pair[1] += c.good
    return _cells(totals)


def sentence(overall: tuple[Cell, ...], groups: tuple[Row, ...]) -> str:
    words = {value: word for value, _, word in LEVELS}
    shown = [c for c in reversed(overall) if c.enough]
    if not shown:
        total = sum(c.answers for c in overall)
        return (
            f"Not enough answers yet: {total} rated so far; each confidence level "
            f"needs {MIN_ANSWERS} before its figure means much."
        )
    first, *rest = shown
    text = f"When you feel {words[first.confidence]} you are right {first.percent}% of the time"
    text += "".join(f"; when {words[c.confidence]}, {c.percent}%" for c in rest)
    advice = []
    for row in groups:
        unsure, _, certain = row.cells
        if unsure.enough and unsure.percent >= TRUST_MORE:
            advice.append(f"trust yourself more on {row.name} questions")
        elif certain.enough and certain.percent < CAREFUL:
            advice.append(
                f"take more care on {row.name} questions, where certain is right only {certain.percent}%"
            )
    return text + (": " + "; ".join(advice[:2]) if advice else "") + "."


def calibration(
    level_rows: Counts, topic_rows: Counts = (), *, levels: Iterable[str]
) -> Calibration:
    by_level = _rows(level_rows, order=levels)
    by_topic = _rows(topic_rows)
    overall = _overall(by_level)
    return Calibration(
        overall, by_level, by_topic, sentence(overall, by_level + by_topic)
    )


@dataclass(frozen=True)
class ScorePoint:
    when: datetime
    percent: int
    x: float
    y: float


@dataclass(frozen=True)
class ScoreChart:
    points: tuple[ScorePoint, ...]
    polyline: str
    width: int = 320
    height: int = 120

    @property
    def latest(self) -> int | None:
        return self.points[-1].percent if self.points else None


def score_chart(rows: Iterable[tuple[datetime, float | None]]) -> ScoreChart:
    """Finished mocks' scores, oldest first, as points of a small line chart."""
    scored = [(when, round(100 * s)) for when, s in rows if s is not None]
    width, height, pad = 320, 120, 10
    n = len(scored)
    points = tuple(
        ScorePoint(
            when,
            p,
            round(pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5), 1),
            round(height - pad - (height - 2 * pad) * p / 100, 1),
        )
        for i, (when, p) in enumerate(scored)
    )
    return ScoreChart(points, " ".join(f"{p.x},{p.y}" for p in points))

"""Where the cards stand: due forecast, ease distribution and mastery per level."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from cards.progress import geometry as charts
from cards.progress.core import (
    EASE_BUCKETS,
    FORECAST_DAYS,
    MATURE_DAYS,
    STATES,
    Snapshot,
    day_label,
    percent,
    plural,
    short_label,
    tick_every,
)
from cards.progress.geometry import Column, LegendItem, Table, Tick


def forecast_chart(snap: Snapshot, *, redrilling: int) -> charts.BarChart:
    today = snap.today
    every = tick_every(FORECAST_DAYS, multiple=7)
    columns, rows = [], []
    for i in range(FORECAST_DAYS):
        day = today + timedelta(days=i)
        due = snap.due.get(day, 0)
        extra = redrilling if i == 0 else 0
        name = "Today" if i == 0 else "Tomorrow" if i == 1 else day_label(day)
        title = f"{name}: {due} due" + (f" + {extra} to re-drill" if extra else "")
        label = "Today" if i == 0 else short_label(day) if i % every == 0 else ""
        columns.append(Column((("bar-due", due), ("bar-redrill", extra)), title, label))
        if due or extra:
            rows.append((day_label(day, year=True), str(due + extra)))
    week = sum(snap.due.get(today + timedelta(days=i), 0) for i in range(7))
    month = sum(snap.due.values()) + redrilling
    if month:
        summary = (
            f"{plural(week + redrilling, 'review')} due in the next 7 days and "
            f"{month:,} in the next {FORECAST_DAYS}; today includes overdue cards."
        )
    else:
        summary = "Nothing scheduled yet: cards appear here after their first answer."
    return charts.bar_chart(
        key="forecast",
        title=f"Due in the next {FORECAST_DAYS} days",
        summary=summary,
        x_label="Study day",
        y_label="Cards due",
        columns=columns,
        legend=[
            LegendItem("bar-due", "Scheduled"),
            LegendItem("bar-redrill", "Re-drill today"),
        ],
        table=Table(
            f"Cards due per study day, next {FORECAST_DAYS} days (new cards not "
            "included; days with none left out)",
            ("Day", "Due"),
            tuple(rows),
        ),
        empty_text="" if month else "Nothing scheduled yet",
    )


def ease_buckets(eases: Iterable[tuple[Decimal, int]]) -> list[tuple[str, int]]:
    """Cards per ease band of 0.2 from SM-2's floor of 1.3; the last band is open."""
    counts = [0] * len(EASE_BUCKETS)
    for ease, n in eases:
        index = sum(1 for low in EASE_BUCKETS[1:] if Decimal(ease) >= low)
        counts[index] += n
    labels = [f"{low:.1f}" for low in EASE_BUCKETS[:-1]] + [f"{EASE_BUCKETS[-1]:.1f}+"]
    return list(zip(labels, counts, strict=True))


def ease_chart(snap: Snapshot) -> charts.BarChart:
    buckets = ease_buckets(snap.eases)
    total = sum(n for _, n in buckets)
    columns = []
    for i, (label, n) in enumerate(buckets):
        if i + 1 < len(buckets):
            band = f"ease {label}–{EASE_BUCKETS[i + 1] - Decimal('0.01'):.2f}"
        else:
            band = f"ease {label[:-1]} or more"
        columns.append(
            Column((("bar-ease", n),), f"{plural(n, 'card')} with {band}", label)
        )
    if total:
        weighted = sum(Decimal(e) * n for e, n in snap.eases) / total
        low = sum(n for e, n in snap.eases if Decimal(e) < Decimal("1.7"))
        summary = (
            f"Average ease {weighted:.2f} across {plural(total, 'card')}; "
            f"{plural(low, 'card')} below 1.7 {'is' if low == 1 else 'are'} your hardest."
        )
    else:
        summary = "No cards started yet: every card begins at ease 2.50."
    return charts.bar_chart(
        key="ease",
        title="Ease of your cards",
        summary=summary,
        x_label="SM-2 ease (higher = longer intervals)",
        y_label="Cards",
        columns=columns,
        table=Table(
            "Started cards per ease band",
            ("Ease from", "Cards"),
            tuple((label, str(n)) for label, n in buckets),
        ),
        empty_text="" if total else "No cards started yet",
    )


@dataclass(frozen=True)
class LevelRow:
    name: str
    new: int
    learning: int
    young: int
    mature: int
    questions: int
    ease: str
    lapses: int

    @property
    def mature_share(self) -> str:
        return percent(self.mature, self.questions)


@dataclass(frozen=True)
class Mastery:
    chart: charts.StackChart
    rows: tuple[LevelRow, ...]
    total: LevelRow


def mastery(snap: Snapshot) -> Mastery:
    rows = []
    for lv in snap.levels:
        rows.append(
            LevelRow(
                lv.name,
                lv.new,
                lv.learning,
                lv.young,
                lv.mature,
                lv.questions,
                f"{lv.ease:.2f}" if lv.ease is not None else "–",
                lv.lapses,
            )
        )
    started = [lv for lv in snap.levels if lv.ease is not None and lv.started]
    weighted = sum((lv.ease * lv.started for lv in started), Decimal(0))
    n_started = sum(lv.started for lv in started)
    total = LevelRow(
        "All levels",
        *(sum(getattr(r, key) for r in rows) for key, _ in STATES),
        sum(r.questions for r in rows),
        f"{weighted / n_started:.2f}" if n_started else "–",
        sum(r.lapses for r in rows),
    )
    stack_input = [
        (
            r.name,
            f"{r.mature_share} mature · ease {r.ease} · {plural(r.lapses, 'lapse')}",
            [
                (
                    f"bar-{key}",
                    getattr(r, key),
                    f"{r.name}: {getattr(r, key)} {label.lower()} of "
                    f"{plural(r.questions, 'card')} ({percent(getattr(r, key), r.questions)})",
                )
                for key, label in STATES
            ],
        )
        for r in rows
    ]
    laid = charts.stack_rows(stack_input, top=24, pitch=46)
    height = 24 + 46 * (len(rows) - 1) + 16 + 22
    width = charts.WIDTH
    summary = (
        f"{total.mature_share} of {plural(total.questions, 'active question')} "
        f"mature (interval of {MATURE_DAYS} days or more): "
        + "; ".join(f"{r.name} {r.mature_share}" for r in rows)
        + "."
    )
    chart = charts.StackChart(
        key="mastery",
        title="Mastery per level",
        summary=summary,
        rows=laid,
        legend=tuple(LegendItem(f"bar-{key}", label) for key, label in STATES),
        x_ticks=(
            Tick(0, "0%", "start"),
            Tick(width / 2, "50%"),
            Tick(width, "100%", "end"),
        ),
        x_label="Share of the level's active questions in each state",
        width=width,
        height=height,
        axis_y=height - 2,
    )
    return Mastery(chart, tuple(rows), total)

"""The range-switched activity charts: reviews, time and retention per week."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cards.progress import geometry as charts
from cards.progress.core import (
    GRADE_GROUPS,
    PERIODS,
    RANGES,
    DayActivity,
    day_label,
    format_duration,
    percent,
    plural,
    short_label,
    tick_every,
    window,
)
from cards.progress.geometry import Column, LegendItem, Table


@dataclass(frozen=True)
class RangeChoice:
    days: int
    label: str
    is_current: bool


@dataclass(frozen=True)
class Activity:
    days: int
    label: str
    choices: tuple[RangeChoice, ...]
    reviews: charts.BarChart
    time: charts.BarChart
    retention: charts.BarChart
    numbers: tuple[Figure, ...]


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    note: str


def range_numbers(series: Sequence[DayActivity]) -> tuple[Figure, ...]:
    """The range in a few figures, beside its charts."""
    reviews = sum(d.reviews for d in series)
    studied = sum(1 for d in series if d.reviews)
    ms = sum(d.ms for d in series)
    scheduled = sum(d.scheduled for d in series)
    passed = sum(d.passed for d in series)
    again = sum(d.again for d in series)
    return (
        Figure("Reviews", f"{reviews:,}", f"{reviews / len(series):.1f} a day"),
        Figure("Days studied", f"{studied}", f"of {len(series)}"),
        Figure(
            "Time spent",
            format_duration(ms),
            f"{format_duration(ms // studied)} a study day" if studied else "–",
        ),
        Figure(
            "Retention", percent(passed, scheduled), f"{passed} of {scheduled} passed"
        ),
        Figure("New cards", f"{sum(d.new for d in series)}", "first answers"),
        Figure("Again", percent(again, reviews), f"{again} answers below 3"),
    )


def activity(days: Sequence[DayActivity], *, today: date, span: int) -> Activity:
    start = today - timedelta(days=span - 1)
    in_range = window(days, start, today)
    series = [
        in_range.get(start + timedelta(days=i), DayActivity(start + timedelta(days=i)))
        for i in range(span)
    ]
    return Activity(
        days=span,
        label=PERIODS[span],
        choices=tuple(RangeChoice(n, label, n == span) for n, label in RANGES.items()),
        reviews=reviews_chart(series, span=span),
        time=time_chart(series, span=span),
        retention=retention_chart(days, today=today, span=span),
        numbers=range_numbers(series),
    )


def _day_ticks(series: Sequence[DayActivity]) -> set[int]:
    every = tick_every(len(series), multiple=7)
    return set(range(len(series) - 1, -1, -every))


def periods(
    series: Sequence[DayActivity], *, span: int
) -> tuple[str, list[tuple[str, list[DayActivity]]]]:
    """The range's days grouped for its tables: (heading, [(label, days)]).

    Per day over 30 days, per Monday-based week over 90 and per month over a
    year: a table of a few dozen rows whatever the learner did, every period
    listed (a table of study days only would grow with the history).
    """
    groups: dict[object, tuple[str, list[DayActivity]]] = {}
    if span <= 31:
        for d in series:
            groups[d.day] = (day_label(d.day, year=True), [d])
        return "Day", list(groups.values())
    weekly = span <= 92
    for d in series:
        key = (
            d.day - timedelta(days=d.day.weekday()) if weekly else d.day.replace(day=1)
        )
        group = groups.get(key)
        if group is None:
            label = day_label(key, year=True) if weekly else f"{key:%B %Y}"
            group = groups[key] = (label, [])
        group[1].append(d)
    return ("Week starting" if span <= 92 else "Month"), list(groups.values())


def _per(span: int) -> str:
    return "day" if span <= 31 else "week" if span <= 92 else "month"


def reviews_chart(series: Sequence[DayActivity], *, span: int) -> charts.BarChart:
    ticks = _day_ticks(series)
    again, hard, good, easy = (f"bar-{key}" for key, _ in GRADE_GROUPS)
    columns = [
        Column(
            ((again, d.again), (hard, d.hard), (good, d.good), (easy, d.easy)),
            label=short_label(d.day) if i in ticks else "",
        )
        for i, d in enumerate(series)
    ]
    total = sum(d.reviews for d in series)
    active = [d for d in series if d.reviews]
    if total:
        busiest = max(active, key=lambda d: d.reviews)
        summary = (
            f"{plural(total, 'review')} on {len(active)} of the last "
            f"{plural(span, 'day')}, {total / span:.1f} a day on average; busiest "
            f"{day_label(busiest.day)} with {busiest.reviews}."
        )
    else:
        summary = f"No reviews in {PERIODS[span]} yet."
    heading, groups = periods(series, span=span)
    return charts.bar_chart(
        key="reviews",
        title="Reviews per day",
        summary=summary,
        x_label="Study day",
        y_label="Reviews",
        columns=columns,
        legend=[LegendItem(f"bar-{key}", label) for key, label in GRADE_GROUPS],
        table=Table(
            f"Reviews per {_per(span)} by grade, {PERIODS[span]}",
            (heading, "Again", "Hard", "Good", "Easy", "Total"),
            tuple(
                (
                    label,
                    *(str(sum(getattr(d, k) for d in days)) for k, _ in GRADE_GROUPS),
                    str(sum(d.reviews for d in days)),
                )
                for label, days in groups
            ),
        ),
        empty_text="" if total else "No reviews yet",
    )


def time_chart(series: Sequence[DayActivity], *, span: int) -> charts.BarChart:
    ticks = _day_ticks(series)
    columns = [
        Column(
            (("bar-time", d.ms / 60_000),),
            label=short_label(d.day) if i in ticks else "",
        )
        for i, d in enumerate(series)
    ]
    total = sum(d.ms for d in series)
    studied = [d for d in series if d.ms]
    if total:
        summary = (
            f"{format_duration(total)} in {PERIODS[span]}, "
            f"{format_duration(total // len(studied))} on an average study day."
        )
    else:
        summary = f"No study time recorded in {PERIODS[span]} yet."
    heading, groups = periods(series, span=span)
    return charts.bar_chart(
        key="time",
        title="Time spent per day",
        summary=summary,
        x_label="Study day",
        y_label="Minutes",
        columns=columns,
        table=Table(
            f"Time spent answering per {_per(span)}, {PERIODS[span]}",
            (heading, "Time"),
            tuple(
                (label, format_duration(sum(d.ms for d in days)))
                for label, days in groups
            ),
        ),
        empty_text="" if total else "No study time yet",
    )


@dataclass(frozen=True)
class Week:
    start: date
    scheduled: int
    passed: int

    @property
    def share(self) -> float | None:
        return self.passed / self.scheduled if self.scheduled else None


def weeks(days: Sequence[DayActivity], *, today: date, span: int) -> list[Week]:
    """Monday-based weeks overlapping the last `span` days, summed over `days`."""
    first = today - timedelta(days=span - 1)
    first -= timedelta(days=first.weekday())
    totals: dict[date, list[int]] = {}
    monday = first
    while monday <= today:
        totals[monday] = [0, 0]
        monday += timedelta(days=7)
    for d in days:
        key = d.day - timedelta(days=d.day.weekday())
        if key in totals:
            totals[key][0] += d.scheduled
            totals[key][1] += d.passed
    return [Week(start, s, p) for start, (s, p) in totals.items()]


def retention_chart(
    days: Sequence[DayActivity], *, today: date, span: int
) -> charts.BarChart:
    """Weeks overlapping the range, each counted in full (up to today)."""
    rows = weeks(days, today=today, span=span)
    every = tick_every(len(rows))
    ticks = set(range(len(rows) - 1, -1, -every))
    columns = []
    for i, w in enumerate(rows):
        label = f"Week of {day_label(w.start)}"
        if w.share is None:
            title = f"{label}: no scheduled reviews"
        else:
            title = (
                f"{label}: {percent(w.passed, w.scheduled)} "
                f"({w.passed} of {plural(w.scheduled, 'scheduled review')} passed)"
            )
        columns.append(
            Column(
                (("bar-retention", 100 * (w.share or 0)),),
                title,
                short_label(w.start) if i in ticks else "",
            )
        )
    passed = sum(w.passed for w in rows)
    scheduled = sum(w.scheduled for w in rows)
    if scheduled:
        summary = (
            f"{percent(passed, scheduled)} of {plural(scheduled, 'scheduled review')} "
            f"passed (graded 3 or higher) in these {len(rows)} weeks."
        )
    else:
        summary = (
            "No scheduled reviews yet: retention starts with a card's second answer."
        )
    return charts.bar_chart(
        key="retention",
        title="Retention per week",
        summary=summary,
        x_label="Week starting",
        y_label="Passed",
        columns=columns,
        y_top=100,
        y_step=25,
        y_format=lambda v: f"{v:g}%",
        table=Table(
            "Share of scheduled reviews graded 3 or higher, per week",
            ("Week starting", "Passed", "Scheduled", "Retention"),
            tuple(
                (
                    day_label(w.start, year=True),
                    str(w.passed),
                    str(w.scheduled),
                    percent(w.passed, w.scheduled),
                )
                for w in rows
                if w.scheduled
            ),
        ),
        empty_text="" if scheduled else "No scheduled reviews yet",
    )

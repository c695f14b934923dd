"""Progress: the page's figures and charts (this package's pure shaping, here).

`queries` reads the aggregates from the database (GROUP BY in SQL) into the
input rows of `core`; `views` renders the page. Everything else is plain
Python over those few rows, so it is unit-tested without a database. Days are
the learner's study days throughout. `geometry` lays out the SVG; the other
modules decide what to draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cards.progress import geometry as charts
from cards.progress.calendar_map import heatmap
from cards.progress.core import (
    DEFAULT_RANGE,
    FORECAST_DAYS,
    MATURE_DAYS,
    RANGES,
    DayActivity,
    Figures,
    LevelCards,
    Snapshot,
    figures,
    format_duration,
    streaks,
)
from cards.progress.deck import Mastery, ease_chart, forecast_chart, mastery
from cards.progress.recent import Activity, activity

__all__ = [
    "DEFAULT_RANGE",
    "FORECAST_DAYS",
    "MATURE_DAYS",
    "RANGES",
    "Activity",
    "DayActivity",
    "Figures",
    "LevelCards",
    "Page",
    "Snapshot",
    "activity",
    "build_page",
    "figures",
    "format_duration",
    "streaks",
]


@dataclass(frozen=True)
class Page:
    today: date
    figures: Figures
    activity: Activity | None  # None: the view renders it (cards/progress/fragments.py)
    forecast: charts.BarChart
    calendar: charts.Heatmap | None
    ease: charts.BarChart
    mastery: Mastery
    is_empty: bool = False


def build_page(
    snap: Snapshot, *, span: int = DEFAULT_RANGE, history: bool = True
) -> Page:
    """The page's figures and charts; `history=False` leaves out the two
    sections drawn from the days alone (activity and calendar)."""
    head = figures(snap)
    return Page(
        today=snap.today,
        figures=head,
        activity=activity(snap.days, today=snap.today, span=span) if history else None,
        forecast=forecast_chart(snap, redrilling=head.redrilling),
        calendar=heatmap(snap.days, today=snap.today) if history else None,
        ease=ease_chart(snap),
        mastery=mastery(snap),
        is_empty=not snap.days,
    )

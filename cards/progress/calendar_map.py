"""The 12-month calendar heatmap of study days, with the current streak outlined."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from cards.progress import geometry as charts
from cards.progress.core import (
    HEATMAP_WEEKS,
    DayActivity,
    plural,
    streaks,
    window,
)
from cards.progress.geometry import Table, Tick


def heatmap(days: Sequence[DayActivity], *, today: date) -> charts.Heatmap:
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=HEATMAP_WEEKS - 1)
    shown = window(days, first, today)
    highest = max((d.reviews for d in shown.values()), default=0)
    thresholds = charts.heat_thresholds(d.reviews for d in shown.values())
    current, longest = streaks((d.day for d in days), today=today)
    end = today if today in shown else today - timedelta(days=1)
    streak_days = {end - timedelta(days=i) for i in range(current)}
    cells, months, monthly = [], [], {}
    day = first
    while day <= today:
        week, weekday = divmod((day - first).days, 7)
        n = shown[day].reviews if day in shown else 0
        x, y = charts.heat_position(week, weekday)
        cells.append(
            charts.Cell(x, y, charts.heat_level(n, thresholds), day in streak_days)
        )
        if day.day == 1 or day == first:
            label_x = charts.heat_position(
                week + (1 if weekday and day == first else 0), 0
            )[0]
            if not months or label_x - months[-1].pos >= 3 * charts.HEAT_PITCH:
                months.append(Tick(label_x, f"{day:%b}", "start"))
        month = monthly.setdefault((day.year, day.month), [0, 0])
        month[0] += 1 if n else 0
        month[1] += n
        day += timedelta(days=1)
    width, height = charts.heat_size(HEATMAP_WEEKS)
    weekdays = tuple(
        Tick(charts.heat_position(0, i)[1] + 9, name, "end")
        for i, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"))
    )
    studied = sum(1 for d in shown.values() if d.reviews)
    span = (today - first).days + 1
    if studied:
        summary = (
            f"You studied on {studied} of the last {span} days. Current streak: "
            f"{plural(current, 'day')}; longest: {plural(longest, 'day')}."
        )
    else:
        summary = "No study days yet: each day you review lights up a square."
    return charts.Heatmap(
        key="calendar",
        title="Study calendar, last 12 months",
        summary=summary,
        cells=tuple(cells),
        month_ticks=tuple(months),
        weekday_ticks=weekdays,
        legend=charts.heat_legend(thresholds, highest),
        table=Table(
            "Study days and reviews per month",
            ("Month", "Days studied", "Reviews"),
            tuple(
                (f"{date(y, m, 1):%B %Y}", str(s), str(r))
                for (y, m), (s, r) in monthly.items()
            ),
        ),
        width=width,
        height=height,
        streak_note=f"Outlined: your current streak of {plural(current, 'day')}."
        if current
        else "",
    )

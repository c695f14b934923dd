"""The pure progress package: figures and chart geometry, no database."""

import ast
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from cards import progress
from cards.progress import deck, geometry
from cards.progress import recent as act
from cards.progress.calendar_map import heatmap
from cards.progress.core import DayActivity, LevelCards, Snapshot

D = date(2026, 3, 8)  # a Sunday


def day(offset: int, **counts: int) -> DayActivity:
    return DayActivity(D + timedelta(days=offset), **counts)


def shapes(paths) -> list[tuple[str, float, float, float, float]]:
    """(css, x, y, w, h) of every rectangle in geometry.Path shapes, in order."""
    out = []
    for p in paths:
        for x, y, w, h in re.findall(r"M([\d.]+) ([\d.]+)h([\d.]+)v([\d.]+)h-\3z", p.d):
            out.append((p.css, float(x), float(y), float(w), float(h)))
    assert len(out) == "".join(p.d for p in paths).count("M")  # nothing unparsed
    return out


def at(chart, x: float) -> list[tuple[str, float, float, float, float]]:
    """The rectangles of a bar chart's column drawn at x, bottom up."""
    return sorted((r for r in shapes(chart.paths) if r[1] == x), key=lambda r: -r[2])


# The database reads and the HTTP view live beside the pure shaping.
DJANGO_MODULES = {
    "queries.py",
    "views.py",
    "forms.py",
    "models.py",
    "rollup.py",
    "compiled.py",
    "fragments.py",
}


def test_progress_shaping_never_imports_django():
    for path in Path(progress.__file__).parent.glob("*.py"):
        if path.name in DJANGO_MODULES:
            continue
        tree = ast.parse(path.read_text())
        names = [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        ] + [
            node.module or ""
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
        ]
        assert not [n for n in names if n.split(".")[0] == "django"], path


@pytest.mark.parametrize(
    ("days", "current", "longest"),
    [
        ([], 0, 0),
        ([0], 1, 1),
        ([-1], 1, 1),  # today not studied yet: yesterday's streak is alive
        ([-2], 0, 1),
        ([-3, -2, -1, 0], 4, 4),
        ([-9, -8, -7, -6, -5, -1], 1, 5),
        ([-9, -8, -2, -1, 0], 3, 3),
    ],
)
def test_streaks(days, current, longest):
    assert progress.streaks([D + timedelta(days=n) for n in days], today=D) == (
        current,
        longest,
    )


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "0 s"),
        (44_600, "45 s"),
        (60_000, "1 min"),
        (754_000, "13 min"),
        (3_600_000, "1 h 00 min"),
        (3_900_000, "1 h 05 min"),
    ],
)
def test_format_duration(ms, text):
    assert progress.format_duration(ms) == text


@pytest.mark.parametrize(
    ("highest", "top", "step"),
    [
        (0, 4, 1),
        (1, 1, 1),
        (4, 4, 1),
        (7, 8, 2),
        (13, 15, 5),
        (46, 60, 20),
        (100, 100, 50),
        (101, 150, 50),
    ],
)
def test_nice_scale(highest, top, step):
    assert geometry.nice_scale(highest) == (top, step)


def test_bar_chart_geometry_by_hand():
    chart = geometry.bar_chart(
        key="k",
        title="T",
        summary="S",
        x_label="x",
        y_label="y",
        columns=[
            geometry.Column((("a", 1), ("b", 3)), "first", "L1"),
            geometry.Column((("a", 0), ("b", 2))),
        ],
        table=geometry.Table("c", ("h",), ()),
    )
    # Plot 34..352 x 26..158; 2 columns of pitch 159, bars 72% wide.
    assert chart.plot == geometry.Rect(34, 26, 318, 132)
    assert [t.label for t in chart.y_ticks] == ["0", "1", "2", "3", "4"]
    assert [t.pos for t in chart.y_ticks] == [158, 125, 92, 59, 26]
    # One path per class: the first column's a and b, the second's b.
    assert [p.css for p in chart.paths] == ["a", "b"]
    assert shapes(chart.paths) == [
        ("a", 56.26, 125, 114.48, 33),
        ("b", 56.26, 26, 114.48, 99),
        ("b", 215.26, 92, 114.48, 66),
    ]
    # Only the titled column gets a tooltip target.
    assert chart.hits == (geometry.Hit(geometry.Rect(34, 26, 159, 132), "first"),)
    assert chart.x_ticks == (geometry.Tick(113.5, "L1"),)


def test_heat_thresholds_are_quartiles_of_study_days():
    assert geometry.heat_thresholds([0, 0]) == ()
    assert geometry.heat_thresholds([4, 1, 4, 0]) == (1, 4, 4)
    values = list(range(1, 9))  # 1..8
    assert geometry.heat_thresholds(values) == (2, 4, 6)
    assert [geometry.heat_level(v, (2, 4, 6)) for v in (0, 1, 2, 3, 6, 7, 8)] == [
        0,
        1,
        1,
        2,
        3,
        4,
        4,
    ]
    assert geometry.heat_legend((2, 4, 6), 8) == (
        (0, "no reviews"),
        (1, "1–2 reviews"),
        (2, "3–4 reviews"),
        (3, "5–6 reviews"),
        (4, "7–8 reviews"),
    )
    assert geometry.heat_legend((1, 4, 4), 4) == (
        (0, "no reviews"),
        (1, "1 review"),
        (2, "2–4 reviews"),
    )


# One hand-built snapshot (the same history as tests/progress/test_queries.py) ----------

DAYS = (
    day(-2, reviews=4, new=3, again=1, good=3, ms=85_000),
    day(-1, reviews=1, easy=1, scheduled=1, passed=1, ms=15_000),
    day(
        0,
        reviews=4,
        new=2,
        again=1,
        hard=1,
        good=1,
        easy=1,
        scheduled=2,
        passed=1,
        ms=60_000,
    ),
)
LEVELS = (
    LevelCards(
        1, "Basic", 3, learning=1, young=1, ease=Decimal("2.28"), lapses=1, redrilling=1
    ),
    LevelCards(
        2,
        "Intermediate",
        2,
        learning=1,
        mature=1,
        ease=Decimal("2.27"),
        overdue=1,
        redrilling=1,
    ),
    LevelCards(3, "Advanced", 1, learning=1, ease=Decimal("2.60")),
)
SNAP = Snapshot(
    today=D,
    days=DAYS,
    levels=LEVELS,
    due={D: 1, D + timedelta(days=1): 3, D + timedelta(days=5): 1},
    eases=(
        (Decimal("1.96"), 1),
        (Decimal("2.04"), 1),
        (Decimal("2.50"), 1),
        (Decimal("2.60"), 2),
    ),
)


def test_figures_by_hand():
    f = progress.figures(SNAP)
    assert (f.due_today, f.overdue, f.redrilling, f.due_tomorrow) == (3, 1, 2, 3)
    assert (f.reviewed_today, f.new_today) == (4, 2)
    assert (f.streak, f.longest_streak, f.studied_today) == (3, 3, True)
    assert (f.total_reviews, f.study_days) == (9, 3)
    assert (f.retention_passed, f.retention_scheduled, f.retention) == (2, 3, "67%")
    assert (f.ms_today, f.ms_week) == (60_000, 160_000)
    assert (f.time_today, f.time_week) == ("1 min", "3 min")


def test_figures_of_a_new_learner():
    empty = Snapshot(today=D, days=(), levels=(LevelCards(1, "Basic", 10),), due={})
    f = progress.figures(empty)
    assert (f.due_today, f.reviewed_today, f.streak, f.total_reviews) == (0, 0, 0, 0)
    assert f.retention == "–" and f.time_today == "0 s"
    page = progress.build_page(empty)
    assert page.is_empty
    assert page.activity.reviews.empty_text == "No reviews yet"
    assert page.forecast.empty_text and page.ease.empty_text
    assert page.activity.reviews.paths == () and page.activity.reviews.hits == ()
    assert page.mastery.total.new == 10 and page.mastery.total.ease == "–"
    assert all(cell.level == 0 for cell in page.calendar.cells)


def test_retention_counts_only_days_inside_the_window():
    old = day(-30, reviews=5, scheduled=5, passed=0)  # 31 days ago: outside
    f = progress.figures(Snapshot(today=D, days=(old, *DAYS), levels=(), due={}))
    assert (f.retention_passed, f.retention_scheduled) == (2, 3)
    assert (f.streak, f.longest_streak, f.total_reviews) == (3, 3, 14)


def test_reviews_chart_points_by_hand():
    a = progress.activity(DAYS, today=D, span=30)
    assert a.reviews.hits == ()  # the table has the numbers, not 30 tooltips
    # y axis 0..4 (step 1) over 132 units: 33 a review; pitch 10.6, bars 7.632.
    assert [t.label for t in a.reviews.y_ticks] == ["0", "1", "2", "3", "4"]
    assert at(a.reviews, 321.68) == [
        ("bar-again", 321.68, 125, 7.63, 33),
        ("bar-good", 321.68, 26, 7.63, 99),
    ]
    assert at(a.reviews, 332.28) == [("bar-easy", 332.28, 125, 7.63, 33)]
    assert [r[4] for r in at(a.reviews, 342.88)] == [33, 33, 33, 33]
    assert at(a.reviews, 311.08) == []  # Thu 5 Mar: no reviews
    assert len(shapes(a.reviews.paths)) == 2 + 1 + 4
    assert [t.label for t in a.reviews.x_ticks] == [
        "8 Feb",
        "15 Feb",
        "22 Feb",
        "1 Mar",
        "8 Mar",
    ]
    # Every day of the range has its row, with or without reviews.
    assert len(a.reviews.table.rows) == 30
    assert a.reviews.table.head[0] == "Day"
    assert a.reviews.table.rows[-4:] == (
        ("Thu 5 Mar 2026", "0", "0", "0", "0", "0"),
        ("Fri 6 Mar 2026", "1", "0", "3", "0", "4"),
        ("Sat 7 Mar 2026", "0", "0", "0", "1", "1"),
        ("Sun 8 Mar 2026", "1", "1", "1", "1", "4"),
    )
    assert a.reviews.summary.startswith("9 reviews on 3 of the last 30 days, 0.3 a day")


def test_time_and_range_numbers_by_hand():
    a = progress.activity(DAYS, today=D, span=90)
    assert len(shapes(a.time.paths)) == 3 and a.time.hits == ()
    # 90 days: a row per Monday-based week (9 Dec 2025 is a Tuesday).
    assert a.time.table.head == ("Week starting", "Time")
    assert a.time.table.rows[0] == ("Mon 8 Dec 2025", "0 s")
    assert a.time.table.rows[-1] == ("Mon 2 Mar 2026", "3 min")
    assert len(a.time.table.rows) == 13
    # 85 s is the busiest day: axis 0..2 minutes, step 0.5.
    assert [t.label for t in a.time.y_ticks] == ["0", "1", "2"]
    figures = {f.label: (f.value, f.note) for f in a.numbers}
    assert figures == {
        "Reviews": ("9", "0.1 a day"),
        "Days studied": ("3", "of 90"),
        "Time spent": ("3 min", "53 s a study day"),
        "Retention": ("67%", "2 of 3 passed"),
        "New cards": ("5", "first answers"),
        "Again": ("22%", "2 answers below 3"),
    }


def test_retention_weeks_by_hand():
    # 30 days back from Sunday 8 March starts on Saturday 7 Feb: weeks from 2 Feb.
    weeks = act.weeks(DAYS, today=D, span=30)
    assert [w.start for w in weeks] == [
        date(2026, 2, 2) + timedelta(weeks=i) for i in range(5)
    ]
    assert [(w.scheduled, w.passed) for w in weeks] == [(0, 0)] * 4 + [(3, 2)]
    chart = progress.activity(DAYS, today=D, span=30).retention
    last = chart.hits[-1]
    assert last.title == "Week of Mon 2 Mar: 67% (2 of 3 scheduled reviews passed)"
    ((_, _, y, _, h),) = shapes(chart.paths)
    assert h == 88 and y == 70  # 2/3 of 132
    assert chart.hits[0].title == "Week of Mon 2 Feb: no scheduled reviews"
    assert [t.label for t in chart.y_ticks] == ["0%", "25%", "50%", "75%", "100%"]


def test_retention_weeks_span_the_range_switch():
    # 8 Mar - 89 days = Tue 9 Dec 2025: weeks from Mon 8 Dec to Mon 2 Mar.
    assert len(act.weeks(DAYS, today=D, span=90)) == 13
    assert len(act.weeks(DAYS, today=D, span=365)) == 53


def test_forecast_by_hand():
    chart = deck.forecast_chart(SNAP, redrilling=2)
    assert len(chart.hits) == progress.FORECAST_DAYS
    assert chart.hits[0].title == "Today: 1 due + 2 to re-drill"
    first = chart.hits[0].rect.x
    assert [r[0] for r in shapes(chart.paths) if first <= r[1] < first + 10] == [
        "bar-due",
        "bar-redrill",
    ]
    assert chart.hits[1].title == "Tomorrow: 3 due"
    assert chart.hits[5].title == "Fri 13 Mar: 1 due"
    assert chart.table.rows == (
        ("Sun 8 Mar 2026", "3"),
        ("Mon 9 Mar 2026", "3"),
        ("Fri 13 Mar 2026", "1"),
    )
    assert chart.x_ticks[0].label == "Today"
    assert chart.summary.startswith("7 reviews due in the next 7 days and 7 in")


def test_ease_buckets_by_hand():
    buckets = dict(deck.ease_buckets(SNAP.eases))
    assert buckets["1.9"] == 2 and buckets["2.5"] == 3
    assert sum(buckets.values()) == 5
    assert dict(deck.ease_buckets([(Decimal("1.30"), 4), (Decimal("3.30"), 1)])) == {
        "1.3": 4,
        "1.5": 0,
        "1.7": 0,
        "1.9": 0,
        "2.1": 0,
        "2.3": 0,
        "2.5": 0,
        "2.7": 0,
        "2.9": 0,
        "3.1+": 1,
    }
    chart = deck.ease_chart(SNAP)
    assert chart.hits[3].title == "2 cards with ease 1.9–2.09"
    assert chart.hits[-1].title == "0 cards with ease 3.1 or more"
    assert chart.summary.startswith("Average ease 2.34 across 5 cards; 0 cards")


def test_mastery_by_hand():
    m = deck.mastery(SNAP)
    basic, inter, adv = m.rows
    assert (basic.new, basic.learning, basic.young, basic.mature) == (1, 1, 1, 0)
    assert (inter.new, inter.mature, inter.mature_share, inter.ease) == (
        0,
        1,
        "50%",
        "2.27",
    )
    assert (adv.new, adv.learning, adv.ease, adv.lapses) == (0, 1, "2.60", 0)
    total = m.total
    assert (total.new, total.learning, total.young, total.mature) == (1, 3, 1, 1)
    # (2.28 x 2 + 2.27 x 2 + 2.60 x 1) / 5 started cards
    assert (total.questions, total.ease, total.lapses, total.mature_share) == (
        6,
        "2.34",
        1,
        "17%",
    )
    row = m.chart.rows[0]
    assert [(r.x, r.w, r.css) for r in row.rects] == [
        (0, 120, "bar-new"),
        (120, 120, "bar-learning"),
        (240, 120, "bar-young"),
    ]
    assert row.titles[0] == "Basic: 1 new of 3 cards (33%)"


def test_heatmap_cells_by_hand():
    cal = heatmap(DAYS, today=D)
    # 53 weeks from Monday 3 March 2025 to Sunday 8 March 2026.
    assert len(cal.cells) == 52 * 7 + 7
    assert cal.cells[0].level == 0
    friday = cal.cells[-3]
    assert (friday.x, friday.y, friday.level) == (654, 66, 2)
    assert friday.css == "heat-2 heat-streak"
    assert cal.cells[-2].level == 1 and cal.cells[-4].is_streak is False
    assert [c.is_streak for c in cal.cells[-3:]] == [True, True, True]
    # One path per colour, the streak's apart: 371 squares in 3 paths.
    assert [p.css for p in cal.paths] == [
        "heat-0",
        "heat-1 heat-streak",
        "heat-2 heat-streak",
    ]
    assert "M654 66h10v10h-10z" in cal.paths[2].d
    assert len(shapes(cal.paths)) == 52 * 7 + 7
    assert cal.legend == ((0, "no reviews"), (1, "1 review"), (2, "2–4 reviews"))
    assert cal.table.rows[-1] == ("March 2026", "3", "9")
    assert cal.month_ticks[0].label == "Mar" and cal.month_ticks[1].label == "Apr"
    assert "current streak: 3 days" in cal.summary.lower()


def _chart(labels: dict[int, str], columns: int) -> geometry.BarChart:
    return geometry.bar_chart(
        key="k",
        title="t",
        summary="s",
        x_label="x",
        y_label="y",
        columns=[
            geometry.Column((("a", 1),), label=labels.get(i, ""))
            for i in range(columns)
        ],
        table=geometry.Table("c", ("h",), ()),
    )


def _extents(chart: geometry.BarChart) -> list[tuple[float, float]]:
    return [geometry._extent(t) for t in chart.x_ticks]


def test_x_labels_never_touch_and_the_last_one_stays():
    # 53 weeks with a label every 11 and the last week's: at this pitch the
    # end-anchored "30 Nov" ran into "14 Sep" ("14 Sep30 Nov" on the page).
    labels = {i: f"{1 + i % 28} Sep" for i in range(0, 53, 11)} | {52: "30 Nov"}
    chart = _chart(labels, 53)
    extents = _extents(chart)
    assert all(a[1] + geometry.TICK_GAP <= b[0] for a, b in pairs(extents))
    assert chart.x_ticks[-1].label == "30 Nov" and chart.x_ticks[-1].anchor == "end"
    assert len(chart.x_ticks) == len(labels) - 1  # only the one in the way went
    assert all(start >= 1 and end <= geometry.WIDTH - 1 for start, end in extents)


def test_x_labels_with_room_are_all_kept():
    chart = _chart({0: "1 Jan", 10: "11 Jan", 20: "21 Jan"}, 30)
    assert [t.label for t in chart.x_ticks] == ["1 Jan", "11 Jan", "21 Jan"]


def pairs(items):
    return zip(items, items[1:], strict=False)

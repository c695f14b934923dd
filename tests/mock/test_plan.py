"""The pure parts of a mock interview: the pick, the clock, the scores."""

import ast
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from cards.mock import calibration, plan
from tests.paths import ROOT

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("module", ["plan.py", "calibration.py"])
def test_pure_modules_import_no_django(module):
    tree = ast.parse((ROOT / "cards" / "mock" / module).read_text())
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    } | {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not any(n.startswith(("django", "cards.models")) for n in names)


def test_pick_takes_count_distinct_questions_easiest_level_first():
    pool = [plan.Candidate(i, level=1 + i % 3, recall=0.5) for i in range(30)]
    chosen = plan.pick(pool, count=6, seed=1)
    assert len({c.id for c in chosen}) == 6
    assert [c.level for c in chosen] == sorted(c.level for c in chosen)


def test_pick_is_reproducible_by_seed():
    pool = [plan.Candidate(i, level=1, recall=i / 40) for i in range(40)]
    assert plan.pick(pool, count=6, seed=7) == plan.pick(pool, count=6, seed=7)


def test_pick_gives_all_when_fewer_than_asked():
    pool = [plan.Candidate(i, level=2, recall=0.0) for i in range(3)]
    assert len(plan.pick(pool, count=6, seed=1)) == 3
    assert plan.pick([], count=6, seed=1) == []


def test_pick_favours_what_the_learner_is_least_likely_to_recall():
    weak = [plan.Candidate(i, level=1, recall=0.1) for i in range(10)]
    strong = [plan.Candidate(100 + i, level=1, recall=0.95) for i in range(10)]
    seen = Counter()
    for seed in range(400):
        for c in plan.pick(weak + strong, count=4, seed=seed):
            seen["weak" if c.id < 100 else "strong"] += 1
    # Weights 0.9 against 0.05: the weak ten fill nearly every place.
    assert seen["weak"] > 8 * seen["strong"] > 0


def test_time_limits_by_level_and_override_within_bounds():
    assert [plan.time_limit(level) for level in (1, 2, 3)] == [90, 150, 240]
    assert plan.time_limit(3, override=60) == 60
    assert plan.time_limit(1, override=5) == plan.MIN_LIMIT


@pytest.mark.parametrize(
    ("after", "late"), [(-1, False), (0, False), (5, False), (5.001, True), (60, True)]
)
def test_late_only_after_the_deadline_plus_five_seconds(after, late):
    deadline = T0 + timedelta(seconds=90)
    received = deadline + timedelta(seconds=after)
    assert plan.is_late(received=received, deadline=deadline) is late


def test_seconds_left_rounds_up_and_stops_at_zero():
    deadline = T0 + timedelta(seconds=90)
    assert plan.seconds_left(now=T0, deadline=deadline) == 90
    assert plan.seconds_left(now=T0 + timedelta(seconds=89.5), deadline=deadline) == 1
    assert plan.seconds_left(now=T0 + timedelta(seconds=200), deadline=deadline) == 0


def test_duration_text():
    assert plan.duration_text(None) == "not answered"
    assert plan.duration_text(42_400) == "42 s"
    assert plan.duration_text(90_000) == "1 min 30 s"
    assert plan.duration_text(240_000) == "4 min"


def test_weakest_groups_below_good_weakest_first():
    scored = [(("RAG",), 0.2), (("RAG",), 0.4), (("Agents",), 0.95), (("Evals",), 0.5)]
    groups = plan.weakest(scored)
    assert [(g.name, g.percent, g.answers) for g in groups] == [
        ("RAG", 30, 2),
        ("Evals", 50, 1),
    ]


def _cells(overall):
    return [(c.label, c.answers, c.percent) for c in overall]


def test_calibration_needs_twenty_answers_per_figure():
    rows = [(3, "Basic", 19, 19), (1, "Basic", 20, 10)]
    cal = calibration.calibration(rows, levels=["Basic", "Intermediate", "Advanced"])
    assert _cells(cal.overall) == [
        ("Unsure", 20, 50),
        ("Fairly sure", 0, None),
        ("Certain", 19, None),
    ]
    assert cal.overall[2].text == "not enough answers yet (19 answers)"
    assert cal.answers == 39
    assert [r.name for r in cal.by_level] == ["Basic"]


def test_calibration_sentence_says_where_to_trust_yourself_more():
    rows = [
        (3, "Basic", 30, 28),
        (3, "Advanced", 20, 18),
        (1, "Basic", 25, 22),  # unsure on Basic, right 88%
        (1, "Advanced", 20, 8),
    ]
    cal = calibration.calibration(rows, levels=["Basic", "Intermediate", "Advanced"])
    assert cal.sentence == (
        "When you feel certain you are right 92% of the time; when unsure, 67%: "
        "trust yourself more on Basic questions."
    )


def test_calibration_sentence_without_enough_answers():
    cal = calibration.calibration([(2, "Basic", 5, 4)], levels=["Basic"])
    assert cal.sentence.startswith("Not enough answers yet: 5 rated so far")


def test_score_chart_points_oldest_first_and_skips_mocks_without_a_score():
    rows = [(T0, 0.5), (T0 + timedelta(days=1), None), (T0 + timedelta(days=2), 1.0)]
    chart = calibration.score_chart(rows)
    assert [p.percent for p in chart.points] == [50, 100]
    assert chart.points[0].x < chart.points[1].x and chart.points[1].y == 10
    assert chart.latest == 100

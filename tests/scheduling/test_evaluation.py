"""Log-loss of FSRS on a learner's history (cards/scheduling/evaluation.py)."""

import math
from datetime import UTC, date, datetime, timedelta

import fsrs as pyfsrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cards.scheduling import evaluation
from cards.scheduling.fsrs import FSRS, RATING_OF_GRADE

DAY = date(2026, 1, 5)
histories = st.lists(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 5)), min_size=1, max_size=12),
    min_size=1,
    max_size=6,
)


def as_days(gaps):
    day, out = DAY, []
    for gap, grade in gaps:
        day += timedelta(days=gap)
        out.append((day, grade))
    return out


@given(histories)
def test_the_log_loss_is_py_fsrs_retrievability_scored(cards):
    """The same figure computed straight from py-fsrs, at noon of each day."""
    theirs = pyfsrs.Scheduler(enable_fuzzing=False)
    losses = []
    for gaps in cards:
        card = pyfsrs.Card(card_id=1, due=datetime(2026, 1, 5, tzinfo=UTC))
        previous = None
        for day, grade in as_days(gaps):
            moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
            if previous is not None and (day - previous).days >= 1:
                p = theirs.get_card_retrievability(card, moment)
                p = min(max(p, 1e-6), 1 - 1e-6)
                losses.append(-math.log(p if grade >= 3 else 1 - p))
            card, _ = theirs.review_card(card, RATING_OF_GRADE[grade], moment)
            previous = day
    result = evaluation.evaluate([as_days(g) for g in cards], FSRS())
    assert result.reviews == len(losses)
    if losses:
        assert result.log_loss == pytest.approx(sum(losses) / len(losses))
        assert 0 <= result.recall <= 1 and result.baseline >= 0
    else:
        assert result.log_loss is None


def test_no_history_scores_nothing_and_512_reviews_are_enough_to_fit():
    assert evaluation.evaluate([], FSRS()) == evaluation.Evaluation(0, None, None, None)
    assert not evaluation.Evaluation(511, 0.3, 0.4, 0.9).has_enough_for_fitting
    assert evaluation.Evaluation(512, 0.3, 0.4, 0.9).has_enough_for_fitting

"""Per-question analytics (cards/analytics) on a hand-built history."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db.models import F

from cards.bank import analytics
from cards.models import Question, ReviewLog
from tests.factories import make_log, make_question, make_schedule, make_user

WHEN = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def log(schedule, *grades):
    for n, grade in enumerate(grades):
        make_log(
            schedule=schedule,
            grade=grade,
            reviewed_at=WHEN,
            study_day=date(2026, 1, 5),
            from_version=n,
        )


@pytest.fixture
def history(db):
    a, b, c = make_user(), make_user(), make_user()
    hard = make_question(key="hard")
    easy = make_question(key="easy")
    make_question(key="unseen")
    leech = make_question(key="leech")
    log(make_schedule(user=a, question=hard, ease="1.30", lapses=2), 1, 4, 0)
    log(make_schedule(user=b, question=hard, ease="1.30", lapses=1), 2, 5)
    log(make_schedule(user=a, question=easy, ease="2.60", lapses=0), 5, 4)
    log(make_schedule(user=c, question=leech, ease="2.50", lapses=2), 0, 3, 0, 4)
    log(make_schedule(user=b, question=leech, ease="2.10", lapses=0), 4)


def stats(key):
    q = analytics.with_stats(Question.objects.filter(key=key)).get()
    share = None if q.again_share is None else round(q.again_share, 4)
    ease = None if q.avg_ease is None else Decimal(q.avg_ease).quantize(Decimal("0.01"))
    return (q.learners_started, q.reviews, share, q.lapses, ease, q.needs_rewriting)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        # Ease at the 1.3 floor: rewrite. 3 of 5 answers below 3.
        ("hard", (2, 5, 0.6, 3, Decimal("1.30"), True)),
        ("easy", (1, 2, 0.0, 0, Decimal("2.60"), False)),
        ("unseen", (0, 0, None, 0, None, False)),
        # 2 lapses for 2 learners: not yet "frequent" (2 per learner).
        ("leech", (2, 5, 0.4, 2, Decimal("2.30"), False)),
    ],
)
def test_figures_per_question(history, key, expected):
    assert stats(key) == expected


def test_frequent_lapses_flag_a_question(history):
    # Leave only the learner who lapsed twice: 2 lapses per learner.
    ReviewLog.objects.filter(question__key="leech", user__schedules__lapses=0).delete()
    Question.objects.get(key="leech").schedules.filter(lapses=0).delete()
    assert stats("leech") == (1, 4, 0.5, 2, Decimal("2.50"), True)


def test_sorting_by_an_annotation(history):
    ordered = analytics.with_stats(Question.objects.all()).order_by(
        F("again_share").desc(nulls_last=True), "key"
    )
    assert [q.key for q in ordered] == ["hard", "leech", "easy", "unseen"]


def test_fsrs_cards_stay_out_of_the_average_ease(db):
    question = make_question()
    make_schedule(user=make_user(), question=question, ease="1.30")
    fsrs_card = make_schedule(user=make_user(), question=question, ease="2.50")
    fsrs_card.scheduler, fsrs_card.state = (
        "fsrs",
        {
            "difficulty": 5.0,
            "interval_days": 6,
            "phase": "review",
            "stability": 6.0,
            "step": None,
        },
    )
    fsrs_card.save()
    row = analytics.with_stats(Question.objects.filter(pk=question.pk)).get()
    assert row.avg_ease == Decimal("1.30") and row.learners_started == 2

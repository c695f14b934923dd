"""cards.bulk.insert_values stores what bulk_create stores, on both databases."""

from datetime import UTC, date, datetime

import pytest

from cards.bulk import insert_values
from cards.models import ReviewKind, ReviewLog
from tests.factories import make_question, make_schedule, sm2_state

# Every stored column but the ids, which differ between the two learners.
COLUMNS = [
    f.attname
    for f in ReviewLog._meta.concrete_fields
    if not f.primary_key and f.attname not in {"user_id", "schedule_id", "question_id"}
]


def _values(schedule, i: int) -> dict:
    """A log row's values as an import has them; every other row leaves the
    nullable and defaulted fields out."""
    values = {
        "user_id": schedule.user_id,
        "schedule_id": schedule.pk,
        "question_id": schedule.question_id,
        "kind": (ReviewKind.NEW, ReviewKind.REVIEW)[i % 2],
        "grade": i % 6,
        "reviewed_at": datetime(2026, 3, 29, 0, 30 + i, tzinfo=UTC),
        "study_day": date(2026, 3, 28),
        "from_version": i,
        "state_before": sm2_state(i, i + 1, "2.36"),
        "lapses_before": i,
        "state_after": sm2_state(i + 1, 2 * i + 1, "2.50"),
        "due_after": date(2026, 4, 1 + i),
    }
    if i % 2:
        values |= {
            "duration_ms": 1234 * i,
            "due_before": date(2026, 3, 20),
            "redrill_before": date(2026, 3, 28),
            "last_reviewed_before": datetime(
                2026, 3, 20, 23, 59, 59, 123456, tzinfo=UTC
            ),
            "typed_answer": "Attention — ☃ weights\nvalues",
            "answer_score": 0.625,
            "suggested_grade": 4,
            "missed_points": ["scaling", "softmax"],
            "confidence": 2,
            "scheduler": "sm2",
        }
    return values


def test_insert_values_stores_what_bulk_create_stores(user, other_user):
    rows = {}
    for who in (user, other_user):
        schedule = make_schedule(user=who, question=make_question())
        rows[who] = [_values(schedule, i) for i in range(7)]
    ReviewLog.objects.bulk_create(ReviewLog(**r) for r in rows[user])
    assert insert_values(ReviewLog, iter(rows[other_user]), batch_size=3) == 7
    mine, theirs = (
        sorted(ReviewLog.objects.filter(user=who).values_list(*COLUMNS))
        for who in (user, other_user)
    )
    assert len(mine) == len(theirs) == 7
    assert mine == theirs
    # Defaults and NULLs where a row left a field out.
    first = ReviewLog.objects.get(user=other_user, from_version=0)
    assert (first.missed_points, first.typed_answer, first.duration_ms) == (
        [],
        "",
        None,
    )
    assert {r.pk for r in ReviewLog.objects.filter(user=other_user)}.isdisjoint(
        r.pk for r in ReviewLog.objects.filter(user=user)
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r | {"mood": "happy"}, "ReviewLog has no field ['mood']"),
        (
            lambda r: {k: v for k, v in r.items() if k != "grade"},
            "ReviewLog.grade has no value and no default",
        ),
    ],
)
def test_a_bad_row_is_refused_before_its_batch_is_sent(user, change, message):
    schedule = make_schedule(user=user, question=make_question())
    rows = [_values(schedule, 0), change(_values(schedule, 1))]
    with pytest.raises(TypeError) as raised:
        insert_values(ReviewLog, rows)
    assert str(raised.value) == message
    assert not ReviewLog.objects.exists()


def test_nothing_to_insert_writes_nothing(db):
    assert insert_values(ReviewLog, []) == 0
    assert not ReviewLog.objects.exists()

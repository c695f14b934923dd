"""The test factories' fast insert writes what bulk_create writes."""

from datetime import UTC, date, datetime

from cards.models import ReviewKind, ReviewLog
from tests.factories import insert_rows, make_log, make_question, make_schedule

# Every stored column but the ids, which differ between the two learners.
COLUMNS = [
    f.attname
    for f in ReviewLog._meta.concrete_fields
    if not f.primary_key and f.attname not in {"user_id", "schedule_id", "question_id"}
]


def test_insert_rows_stores_what_bulk_create_stores(user, other_user):
    rows = {}
    for who in (user, other_user):
        schedule = make_schedule(user=who, question=make_question())
        logs = [
            make_log(
                schedule=schedule,
                kind=(ReviewKind.NEW, ReviewKind.REVIEW)[i % 2],
                grade=i % 6,
                reviewed_at=datetime(2026, 3, 29, 0, 30 + i, tzinfo=UTC),
                study_day=date(2026, 3, 28),
                from_version=i,
                before=(i, i + 1, "2.36"),
                duration_ms=None if i == 3 else 1234 * i,
                save=False,
            )
            for i in range(7)
        ]
        rows[who] = logs
    ReviewLog.objects.bulk_create(rows[user])
    assert insert_rows(rows[other_user], batch_size=3) == 7
    mine, theirs = (
        sorted(ReviewLog.objects.filter(user=who).values_list(*COLUMNS))
        for who in (user, other_user)
    )
    assert len(mine) == len(theirs) == 7
    assert mine == theirs
    stored = ReviewLog.objects.filter(user=other_user)
    assert {(r.schedule_id, r.question_id) for r in stored} == {
        (rows[other_user][0].schedule_id, rows[other_user][0].question_id)
    }


def test_insert_rows_of_nothing_writes_nothing(db):
    assert insert_rows([]) == 0
    assert not ReviewLog.objects.exists()

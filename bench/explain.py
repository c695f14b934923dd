"""PostgreSQL plans of the queries behind /review/ and /progress/.

Runs each page in-process with the test client, captures the SQL it sends and
EXPLAINs (ANALYZE, BUFFERS) every SELECT on the review tables, inside a
transaction that is rolled back. So the plans follow whatever the views do
after the merge. A missing page falls back to the foundation's querysets.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cards.models import Question, ReviewLog, ReviewSchedule, profile_for
from cards.review import queue_sql

BIG_TABLES = ("cards_reviewlog", "cards_reviewschedule")
SEQ_SCAN = re.compile(r"Seq Scan on (cards_reviewlog|cards_reviewschedule)")


def _explain_sql(sql: str, params=None) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def _entry(source: str, sql: str, plan: str) -> dict:
    time = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return {
        "source": source,
        "sql": sql,
        "plan": plan,
        "execution_ms": float(time.group(1)) if time else None,
        "seq_scan_on_big_table": bool(SEQ_SCAN.search(plan)),
    }


def page_plans(path: str, user, *, label: str) -> tuple[int, list[dict]]:
    """Status of `path` for `user` and the plans of its review-table SELECTs."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)  # a missing page is reported, not logged
    try:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    finally:
        request_log.setLevel(level)
    plans = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        if not any(t in sql for t in BIG_TABLES):
            continue
        plans.append(_entry(f"{label} {path}", sql, _explain_sql(sql)))
    return response.status_code, plans


def foundation_plans(learner, heavy) -> list[dict]:
    """Plans of the foundation's due-card, new-card and a per-day history
    query: what the review and progress pages will at least need."""
    now = timezone.now()
    today = profile_for(learner).study_day(now)
    due = queue_sql.due_reviews_for(learner, today).select_related("question")[:1]
    started = ReviewSchedule.objects.for_user(learner).values("question_id")
    new = (
        Question.objects.active()
        .exclude(pk__in=started)
        .order_by("stage", "level", "position", "id")[:10]
    )
    heavy_today = profile_for(heavy).study_day(now)
    per_day = (
        ReviewLog.objects.filter(
            user=heavy, study_day__gt=heavy_today - timedelta(days=365)
        )
        .values("study_day")
        .annotate(n=Count("id"), again=Count("id", filter=Q(grade__lt=3)))
        .order_by("study_day")
    )
    entries = []
    for source, qs in (
        ("due reviews, most overdue first (next due card)", due),
        ("foundation new cards (next 10)", new),
        ("representative progress: reviews per day, 365 days", per_day),
    ):
        sql, params = qs.query.sql_with_params()
        entries.append(_entry(source, str(qs.query), _explain_sql(sql, params)))
    return entries

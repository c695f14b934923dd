"""The queue's one SQL statement: its querysets, and the compiled statement cache.

`snapshot_query` builds the statement with the ORM: every count of today's
queue and the head of each sub-queue (re-drills, due reviews, new cards) as
scalar subqueries on the learner's own user row. Which card is in which
sub-queue is the answer rule of cards/review/answer.py written as SQL;
tests/review/test_answer.py checks the two agree on random schedules.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    JSONField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, JSONObject

from cards.models import (
    CardNote,
    InterviewPlan,
    LearnerTopic,
    Question,
    ReviewKind,
    ReviewLog,
    ReviewSchedule,
    Suspension,
    Topic,
)
from cards.review import prepared


class DayNumber(Func):
    """Days since 1970-01-01 of a date column, on SQLite and PostgreSQL."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        return super().as_sql(
            compiler, connection, template="(%(expressions)s - DATE '1970-01-01')"
        )

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[override]
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)",
        )


class _Count(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def _count(queryset: QuerySet) -> _Count:
    return _Count(queryset.order_by().values("pk"))


def _head(queryset: QuerySet, **fields: object) -> Subquery:
    """The first row of `queryset` as a JSON object (None when it is empty)."""
    return Subquery(
        queryset.values(head=JSONObject(**fields))[:1], output_field=JSONField()
    )


def _by_id(queryset: QuerySet) -> QuerySet:
    return ReviewSchedule.objects.filter(pk=Subquery(queryset.values("pk")[:1]))


def _note(user: object, question: str) -> Subquery:
    """The learner's own note on the head's question (cards/care), for its back."""
    notes = CardNote.objects.filter(user=user, question=OuterRef(question))
    return Subquery(notes.values("text")[:1])


def _scalar(queryset: QuerySet, field: str) -> Subquery:
    return Subquery(queryset.values(field)[:1])


def studied_by(user: object, question: str = "pk") -> Q:
    """The queue's topic filter (issue 16): the question at `question` is in
    no topic, or in at least one topic the learner studies. A learner skips
    the topics they deselected and the opt-in topics they did not choose.

    Written as "not among the hidden questions", a set PostgreSQL builds once
    from the skipped topics' links (none for most learners), so the filter
    costs a hash probe per row and keeps the statement's estimate low."""
    choice = LearnerTopic.objects.filter(user=user, topic=OuterRef("pk"))
    skipped = Topic.objects.filter(
        Q(~Exists(choice.filter(is_studied=True)), is_opt_in=True)
        | Exists(choice.filter(is_studied=False))
    )
    links = Question.topics.through.objects
    studied_link = links.filter(question=OuterRef("question")).exclude(
        topic__in=skipped
    )
    hidden = (
        links.filter(topic__in=skipped).filter(~Exists(studied_link)).values("question")
    )
    return ~Q(**{f"{question}__in": hidden})


# Suspended cards (cards/care) leave every sub-queue and count, new or started.
# NOT IN over the learner's few suspensions: the database reads them once,
# where a correlated NOT EXISTS would probe once per schedule.
def _unsuspended(user: object, field: str) -> Q:
    return ~Q(
        **{f"{field}__in": Suspension.objects.filter(user=user).values("question_id")}
    )


def suspended_for(user: object, levels: Iterable[int] = ()) -> QuerySet[Suspension]:
    """The learner's suspended cards among the questions the queue counts."""
    counted = active_questions_for(user, levels).filter(pk=OuterRef("question_id"))
    return Suspension.objects.filter(Exists(counted), user=user)


def schedules_for(user: object, levels: Iterable[int] = ()) -> QuerySet[ReviewSchedule]:
    schedules = ReviewSchedule.objects.filter(
        _unsuspended(user, "question_id"),
        studied_by(user, "question_id"),
        user=user,
        question__is_active=True,
    )
    levels = tuple(levels)
    return schedules.filter(question__level__in=levels) if levels else schedules


def active_questions_for(
    user: object, levels: Iterable[int] = ()
) -> QuerySet[Question]:
    levels = tuple(levels)
    questions = Question.objects.active().filter(studied_by(user))
    return questions.filter(level__in=levels) if levels else questions


def new_questions_for(user: object, levels: Iterable[int] = ()) -> QuerySet[Question]:
    """Active questions this learner studies but never answered, in study order."""
    started = ReviewSchedule.objects.filter(user=user).values("question_id")
    questions = active_questions_for(user).filter(
        ~Q(pk__in=started), _unsuspended(user, "pk")
    )
    levels = tuple(levels)
    if levels:
        questions = questions.filter(level__in=levels)
    return questions.order_by("stage", "level", "position", "pk")


def redrills_for(
    user: object, today: date, levels: Iterable[int] = ()
) -> QuerySet[ReviewSchedule]:
    return (
        schedules_for(user, levels)
        .filter(redrill_on=today)
        .order_by(F("last_reviewed_at").asc(nulls_first=True), "pk")
    )


def due_reviews_for(
    user: object, today: date, levels: Iterable[int] = ()
) -> QuerySet[ReviewSchedule]:
    """Due reviews, most overdue first relative to their interval."""
    today_number = (today - date(1970, 1, 1)).days
    overdue = Cast(Value(today_number) - DayNumber("due_on"), FloatField()) / Cast(
        Greatest("interval_days", 1), FloatField()
    )
    return (
        schedules_for(user, levels)
        .filter(due_on__lte=today)
        .exclude(redrill_on=today)
        .annotate(overdue=overdue)
        .order_by(
            "-overdue",
            "due_on",
            "question__stage",
            "question__level",
            "question__position",
            "pk",
        )
    )


# A grade's next card when the counts are carried over (queue_next.py): each
# sub-queue's head, by index probes. The stamps say whether anything but the
# grade changed the learner's day since: today's answers and the suspensions,
# each as (count, sum of ids; ids only grow, so nothing cancels out).
STAMPS = ("logs_n", "logs_sum", "suspended_n", "suspended_sum")
HEADS = ("redrill_head", "review_head", "new_head", "has_plan", "plan_head", *STAMPS)
_NEW, _REVIEW = frozenset({"new_head"}), frozenset({"review_head"})
SKIPS = (frozenset(), _NEW, _REVIEW, _NEW | _REVIEW)  # queue_next.unserved_heads


def _sum_of_ids(queryset: QuerySet) -> Subquery:
    return Subquery(
        queryset.order_by().values("user").annotate(total=Sum("pk")).values("total"),
        output_field=IntegerField(),
    )


def snapshot_query(
    user_pk: int,
    *,
    today: date,
    ready_before: datetime,
    levels: tuple[int, ...],
    heads_only: bool = False,
    skip: frozenset[str] = frozenset(),
) -> QuerySet:
    """Every figure of the queue and each sub-queue's head, in one statement
    (`heads_only`: the heads but those in `skip`, the plan head, no counts)."""
    logs = ReviewLog.objects.filter(user=user_pk, study_day=today)
    schedules = schedules_for(user_pk, levels)
    redrills = redrills_for(user_pk, today, levels)
    due = due_reviews_for(user_pk, today, levels)
    new = new_questions_for(user_pk, levels)
    ready = Case(
        When(
            Q(last_reviewed_at__isnull=True) | Q(last_reviewed_at__lte=ready_before),
            then=Value(1),
        ),
        default=Value(0),
    )
    card_fields = {
        "id": F("question_id"),
        "prompt": F("question__prompt"),
        "level": F("question__level"),
        "version": F("version"),
        "changed": F("unseen_change_id"),
        # What the hidden back of a self-graded card needs (one request per
        # card): the answer, and the schedule the grade buttons preview.
        "answer": F("question__answer"),
        "scheduler": F("scheduler"),
        "state": F("state"),
        "due_on": F("due_on"),
        "redrill_on": F("redrill_on"),
        "lapses": F("lapses"),
        "last_reviewed_at": F("last_reviewed_at"),
        "note": _note(user_pk, "question_id"),
    }
    tomorrow = today + timedelta(days=1)
    figures = {
        "redrills": _count(redrills),
        "due": _count(due),
        # Active questions minus those started and those suspended (the
        # unsuspended started ones, then every suspended one): index lookups,
        # where counting the anti-join would visit every question of the bank.
        "new_available": Greatest(
            _count(active_questions_for(user_pk, levels))
            - _count(schedules)
            - _count(suspended_for(user_pk, levels)),
            0,
        ),
        "new_done": _count(logs.filter(kind=ReviewKind.NEW)),
        "reviews_done": _count(logs.filter(kind=ReviewKind.REVIEW)),
        "redrills_done": _count(logs.filter(kind=ReviewKind.REDRILL)),
        "next_due_on": _scalar(
            schedules.filter(due_on__gt=today)
            .values("user")
            .annotate(first=Min("due_on")),
            "first",
        ),
        "due_by_tomorrow": _count(
            schedules.filter(due_on__lte=tomorrow).exclude(redrill_on=today)
        ),
        "undo_log_id": _scalar(logs.values("user").annotate(last=Max("pk")), "last"),
        "redrill_head": _head(redrills, ready=ready, **card_fields),
        # By id first: the card's fields are read for the head only (issue 12).
        "review_head": _head(_by_id(due), **card_fields),
        "new_head": _head(
            new,
            id=F("pk"),
            prompt=F("prompt"),
            level=F("level"),
            version=Value(0),
            answer=F("answer"),
            note=_note(user_pk, "pk"),
        ),
        # No plan row: no cap on any interval (a break always has a row), so
        # previewing the grade buttons needs no query (planning.reads.capper_for).
        "has_plan": Exists(InterviewPlan.objects.filter(user=user_pk)),
        # The interview plan (issue 17): its date, and today's new-card pace
        # once today's plan is made (cards/planning/services.prepare_day).
        "plan_head": _head(
            InterviewPlan.objects.filter(user=user_pk, interview_on__isnull=False),
            on=F("interview_on"),
            ready=Case(When(prepared_on=today, then=Value(1)), default=Value(0)),
            new_today=F("new_today"),
            new_first=F("new_first"),
        ),
    }
    suspended = Suspension.objects.filter(user=user_pk)
    figures |= {
        "logs_n": _count(logs),
        "logs_sum": Coalesce(_sum_of_ids(logs), 0),
        "suspended_n": _count(suspended),
        "suspended_sum": Coalesce(_sum_of_ids(suspended), 0),
    }
    if heads_only:
        figures = {name: figures[name] for name in HEADS if name not in skip}
    # The learner's own user row is a one-row table to hang the subqueries on.
    return (
        get_user_model().objects.filter(pk=user_pk).annotate(**figures).values(*figures)
    )


# Compiling that statement with the ORM costs more Python than the database spends
# running it, and its SQL depends only on the database and the levels: it is
# compiled once with sentinel values, which each call replaces (the learner, the
# day, the re-drill cutoff); tests/review/test_queue.py compares a fresh compile.
_SENTINEL_USER = -730_194_628  # within int32: PostgreSQL ids are integers
_SENTINEL_DAY = date(1901, 2, 3)
_SENTINEL_READY = datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    # (position in params, name of the value that goes there)
    slots: tuple[tuple[int, str], ...]
    columns: tuple[str, ...]


_compiled: dict[tuple, _Compiled] = {}


def _values(
    ops: object, *, user_pk: int, today: date, ready_before: datetime
) -> dict[str, object]:
    """Each variable's parameter as the backend receives it, by name."""
    return {
        "user": user_pk,
        "today": ops.adapt_datefield_value(today),
        "tomorrow": ops.adapt_datefield_value(today + timedelta(days=1)),
        "today_number": (today - date(1970, 1, 1)).days,
        "ready_before": ops.adapt_datetimefield_value(ready_before),
    }


def _compile(levels: tuple, alias: str, heads_only: bool, skip: frozenset) -> _Compiled:
    queryset = snapshot_query(
        _SENTINEL_USER,
        today=_SENTINEL_DAY,
        ready_before=_SENTINEL_READY,
        levels=levels,
        heads_only=heads_only,
        skip=skip,
    ).using(alias)
    compiler = queryset.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    columns = tuple(name for _, _, name in compiler.select)
    sentinels = _values(
        connections[alias].ops,
        user_pk=_SENTINEL_USER,
        today=_SENTINEL_DAY,
        ready_before=_SENTINEL_READY,
    )
    slots = tuple(
        (position, name)
        for position, param in enumerate(params)
        for name, sentinel in sentinels.items()
        if isinstance(param, type(sentinel)) and param == sentinel
    )
    wanted = set(sentinels) - ({"tomorrow", "today_number"} if heads_only else set())
    if "review_head" in skip:
        wanted.discard("today_number")
    if not wanted <= {name for _, name in slots}:
        raise RuntimeError("the queue statement no longer takes every variable")
    return _Compiled(sql, tuple(params), slots, columns)


def snapshot_statement(
    *,
    user_pk: int,
    today: date,
    ready_before: datetime,
    levels: tuple[int, ...],
    heads_only: bool = False,
    skip: frozenset[str] = frozenset(),
) -> tuple[str, list, tuple[str, ...]]:
    """The statement's SQL, this call's parameters and the result's column names."""
    alias = router.db_for_read(get_user_model())
    key = (alias, levels, heads_only, skip)
    compiled = _compiled.get(key)
    if compiled is None:
        # The heads' variants come together: else a worker's first grade past
        # the review limit, or with the bank all started, pays a compile.
        for v in {*SKIPS, skip} if heads_only else {skip}:
            _compiled[(*key[:3], v)] = _compile(levels, alias, heads_only, v)
        compiled = _compiled[key]
    values = _values(
        connections[alias].ops, user_pk=user_pk, today=today, ready_before=ready_before
    )
    params = list(compiled.params)
    for position, name in compiled.slots:
        value, original = values[name], compiled.params[position]
        if isinstance(original, int) and type(original) is not int:
            # Keep the backend's wrapper type (psycopg's Int4 for an int Value).
            value = type(original)(value)
        params[position] = value
    return compiled.sql, params, compiled.columns


def counts_and_heads(
    user_pk: int,
    *,
    today: date,
    ready_before: datetime,
    levels: tuple[int, ...],
    heads_only: bool = False,
    skip: frozenset[str] = frozenset(),
) -> dict:
    """Run the statement: every figure, each head as a dict (None if skipped)."""
    alias = router.db_for_read(get_user_model())
    sql, params, columns = snapshot_statement(
        user_pk=user_pk,
        today=today,
        ready_before=ready_before,
        levels=levels,
        heads_only=heads_only,
        skip=skip,
    )
    # Planned once per connection (cards/review/prepared.py).
    row = dict(zip(columns, prepared.fetchone(alias, sql, params), strict=True))
    row.update(dict.fromkeys(skip))
    for head in ("redrill_head", "review_head", "new_head", "plan_head"):
        if isinstance(row.get(head), str):
            row[head] = json.loads(row[head])
    return row

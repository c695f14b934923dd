"""Per-question learning figures for the admin, computed by the database.

Each figure is a correlated subquery, so the question list costs the same
number of queries however many questions and reviews there are (joining
schedules and logs together would also multiply the sums).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from cards import scheduling
from cards.models import Question, ReviewLog, ReviewSchedule
from cards.scheduling import sm2

# SM-2's author: items whose ease falls to the 1.3 floor are "badly formulated".
# "At the floor" allows for the odd learner a step above it.
REWRITE_EASE_AT_MOST = sm2.MIN_EASE + Decimal("0.05")
# Frequent lapses: on average every learner who started it forgot it twice
# after having known it (Anki tags a card a leech at eight).
REWRITE_LAPSES_PER_LEARNER = 2


def _per_question(queryset: QuerySet, aggregate: object, output: object) -> Subquery:
    return Subquery(
        queryset.filter(question=OuterRef("pk"))
        .order_by()
        .values("question")
        .annotate(value=aggregate)
        .values("value"),
        output_field=output,
    )


def with_stats(questions: QuerySet[Question]) -> QuerySet[Question]:
    """Annotate learners_started, reviews, again_share (failed answers: grade
    below 3, i.e. "Again"), lapses, avg_ease and needs_rewriting."""
    integer = IntegerField()
    zero = Value(0)
    return questions.annotate(
        learners_started=Coalesce(
            _per_question(ReviewSchedule.objects, Count("pk"), integer), zero
        ),
        reviews=Coalesce(_per_question(ReviewLog.objects, Count("pk"), integer), zero),
        again=Coalesce(
            _per_question(
                ReviewLog.objects.filter(grade__lt=scheduling.PASSING_GRADE),
                Count("pk"),
                integer,
            ),
            zero,
        ),
        lapses=Coalesce(
            _per_question(ReviewSchedule.objects, Sum("lapses"), integer), zero
        ),
        avg_ease=_per_question(
            ReviewSchedule.objects.filter(scheduler="sm2"),  # FSRS has no ease
            Avg("ease"),
            DecimalField(max_digits=8, decimal_places=2),
        ),
    ).annotate(
        again_share=Cast(F("again"), FloatField())
        / NullIf(Cast(F("reviews"), FloatField()), Value(0.0)),
        needs_rewriting=Case(
            When(
                Q(learners_started__gt=0)
                & (
                    Q(avg_ease__lte=REWRITE_EASE_AT_MOST)
                    | Q(lapses__gte=F("learners_started") * REWRITE_LAPSES_PER_LEARNER)
                ),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


# Typed answers (issue 15) ------------------------------------------------------

# The learner pressed a grade in another band than the suggested one
# (Again 0-2, Hard 3, Good/Easy 4-5).
OVERRIDDEN = (
    Q(suggested_grade__lt=3, grade__gte=3)
    | (Q(suggested_grade=3) & ~Q(grade=3))
    | Q(suggested_grade__gte=4, grade__lt=4)
)


def with_typed_stats(questions: QuerySet[Question]) -> QuerySet[Question]:
    """Annotate typed_answers (checked answers graded) and override_share."""
    integer, zero = IntegerField(), Value(0)
    typed = ReviewLog.objects.filter(suggested_grade__isnull=False)
    return questions.annotate(
        typed_answers=Coalesce(_per_question(typed, Count("pk"), integer), zero),
        overrides=Coalesce(
            _per_question(typed.filter(OVERRIDDEN), Count("pk"), integer), zero
        ),
    ).annotate(
        override_share=Cast(F("overrides"), FloatField())
        / NullIf(Cast(F("typed_answers"), FloatField()), Value(0.0)),
    )


def miss_rates(question: Question) -> dict[int, tuple[int, int]]:
    """For each key point of `question`: (answers that missed it, checked answers)."""
    missed = ReviewLog.objects.filter(
        question=question, suggested_grade__isnull=False
    ).values_list("missed_points", flat=True)
    counts: dict[int, int] = {}
    total = 0
    for ids in missed:
        total += 1
        for point_id in set(ids or ()):
            counts[point_id] = counts.get(point_id, 0) + 1
    return {
        point.pk: (counts.get(point.pk, 0), total)
        for point in question.key_points.all()
    }

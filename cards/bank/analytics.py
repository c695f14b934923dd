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

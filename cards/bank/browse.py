"""Browse and search the bank as a learner (issue 16): reads only.

Three queries whatever the page: the page's rows, their count (capped for a
text search) and the page's topic links; the topic names come from the
filter's own list. Text search is PostgreSQL full-text search on a stored,
GIN-indexed tsvector column (migration 0020) and a plain substring match on
SQLite. Plans and figures: docs/BROWSE.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.expressions import Expression
from django.utils.functional import cached_property

from cards.models import LearnerTopic, Level, Question, Topic
from cards.progress.core import MATURE_DAYS

PER_PAGE = 50
COUNT_CAP = 1_000  # a text search counts and pages through this many matches
MAX_QUERY = 200


class Matches(Expression):
    """`search_vector @@ websearch_to_tsquery(text)` on the query's own alias
    of cards_question (a subquery calls it U0). The column is the stored,
    GIN-indexed one of migration 0020, which the model does not declare:
    matching on the expression it is generated from instead recomputed every
    question's vector on every search (1.3-10 s at 10,000 questions)."""

    output_field = BooleanField()

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def as_sql(self, compiler: object, connection: object) -> tuple[str, list]:
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return (
            f"{table}.search_vector @@ websearch_to_tsquery('english', %s)",
            [self.text],
        )


def _learning(today: date) -> Q:
    return Q(mine__repetitions__lt=2) | Q(mine__redrill_on=today)


def _settled(today: date) -> Q:
    return Q(mine__repetitions__gte=2) & ~Q(mine__redrill_on=today)


# "My state" filters, by name, on the learner's own schedule (`mine`). Another
# state (e.g. "suspended") is one more entry here and in STATE_CHOICES.
STATES = {
    "new": lambda today: Q(mine__isnull=True),
    "learning": _learning,
    "young": lambda today: _settled(today) & Q(mine__interval_days__lt=MATURE_DAYS),
    "mature": lambda today: _settled(today) & Q(mine__interval_days__gte=MATURE_DAYS),
}
STATE_CHOICES = [
    ("", "Any state"),
    ("new", "New (never answered)"),
    ("learning", "Learning"),
    ("young", "Young (interval under 21 days)"),
    ("mature", "Mature (21 days or more)"),
]
SORTS = {
    "order": ("stage", "level", "position", "pk"),
    "lapses": (
        F("mine__lapses").desc(nulls_last=True),
        "stage",
        "level",
        "position",
        "pk",
    ),
    "ease": (F("mine__ease").asc(nulls_last=True), "stage", "level", "position", "pk"),
}
SORT_CHOICES = [
    ("order", "Study order"),
    ("lapses", "My most lapses first"),
    ("ease", "My lowest ease first"),
]


class BrowseForm(forms.Form):
    q = forms.CharField(
        label="Search", required=False, max_length=MAX_QUERY, strip=True
    )
    topic = forms.ChoiceField(label="Topic", required=False)
    level = forms.TypedChoiceField(
        label="Level",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any level"), *Level.choices],
    )
    state = forms.ChoiceField(label="My state", required=False, choices=STATE_CHOICES)
    sort = forms.ChoiceField(label="Sort", required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, *args: object, topics: list[Topic], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "Any topic")] + [
            (t.slug, t.name) for t in topics
        ]


def visible_to(user: object, hidden: Sequence[int] | None = None) -> Q:
    """Questions in no topic, or in a topic this learner may see: an opt-in
    topic's questions (the demo's placeholders) only reach who chose it.
    `hidden` is the opt-in topics they did not choose, when already known
    (topic_choice.browse_topics): none for most learners, and then browse
    adds no filter at all.

    Written as NOT IN a set PostgreSQL hashes once (the hidden questions, a
    few hundred), as queue_sql.studied_by is: a NOT EXISTS anti-join was
    estimated to hide one question and planned as a nested loop over all
    of them (670 ms for the count at 10,000)."""
    if hidden is None:
        chosen = LearnerTopic.objects.filter(
            user=user, topic=OuterRef("pk"), is_studied=True
        )
        hidden = Topic.objects.filter(~Exists(chosen), is_opt_in=True)
    links = Question.topics.through.objects
    seen_link = links.filter(question=OuterRef("question")).exclude(topic_id__in=hidden)
    hidden_questions = (
        links.filter(topic_id__in=hidden).filter(~Exists(seen_link)).values("question")
    )
    return ~Q(pk__in=hidden_questions)


def _search(questions: QuerySet[Question], text: str) -> QuerySet[Question]:
    if connection.vendor == "postgresql":
        return questions.filter(Matches(text))
    for word in text.split()[:10]:
        questions = questions.filter(
            Q(prompt__icontains=word) | Q(answer__icontains=word)
        )
    return questions


def columns(user: object, sort: str = "order") -> QuerySet[Question]:
    """Every question with what a row shows of it and of this learner's
    schedule (`mine`), in the order `sort` names; unfiltered."""
    return (
        Question.objects.annotate(
            mine=FilteredRelation("schedules", condition=Q(schedules__user=user))
        )
        .order_by(*SORTS.get(sort or "order", SORTS["order"]))
        .values(
            "pk",
            "prompt",
            "level",
            my_id=F("mine__id"),
            my_lapses=F("mine__lapses"),
            my_ease=F("mine__ease"),
            my_repetitions=F("mine__repetitions"),
            my_interval=F("mine__interval_days"),
            my_redrill=F("mine__redrill_on"),
            my_scheduler=F("mine__scheduler"),
        )
    )


def search(
    user: object,
    *,
    today: date,
    hidden_topics: Sequence[int] | None = None,
    topic: Topic | None = None,
    level: int | None = None,
    text: str = "",
    state: str = "",
    sort: str = "order",
) -> QuerySet[Question]:
    """The rows of the bank this learner may see, filtered and sorted. Their
    topics are read for one page alone (rows()): a subquery per row in the
    SELECT list ran for every row OFFSET skipped (5,000 on page 100)."""
    questions = columns(user, sort).filter(is_active=True)
    if hidden_topics is None or hidden_topics:
        questions = questions.filter(visible_to(user, hidden_topics))
    if topic is not None:
        in_topic = Question.topics.through.objects.filter(
            question=OuterRef("pk"), topic=topic
        )
        questions = questions.filter(Exists(in_topic))
    if level:
        questions = questions.filter(level=level)
    if text:
        questions = _search(questions, text)
    if state:
        questions = questions.filter(STATES[state](today))
    return questions


@dataclass(frozen=True)
class Row:
    question_id: int
    prompt: str
    level: str
    topics: tuple[str, ...]
    state: str
    lapses: int | None
    ease: str


def _state(row: dict, today: date) -> str:
    if row["my_id"] is None:
        return "New"
    redrill = row["my_redrill"]
    if isinstance(redrill, str):
        redrill = date.fromisoformat(redrill)
    if row["my_repetitions"] < 2 or redrill == today:
        return "Learning"
    return "Mature" if row["my_interval"] >= MATURE_DAYS else "Young"


def rows(page: Page, *, topics: list[Topic], today: date) -> list[Row]:
    """The page's rows, with their topics (one query for the page's links),
    named in the topics' own order."""
    found = list(page.object_list)
    order = {t.pk: i for i, t in enumerate(topics)}
    links = Question.topics.through.objects.filter(
        question_id__in=[row["pk"] for row in found], topic_id__in=order
    ).values_list("question_id", "topic_id")
    topic_ids: dict[int, list[int]] = {}
    for question_id, topic_id in links:
        topic_ids.setdefault(question_id, []).append(topic_id)
    names = [t.name for t in topics]
    out = []
    for row in found:
        ease = row["my_ease"]
        out.append(
            Row(
                question_id=row["pk"],
                prompt=row["prompt"],
                level=Level(row["level"]).label,
                topics=tuple(
                    names[i]
                    for i in sorted(order[t] for t in topic_ids.get(row["pk"], []))
                ),
                state=_state(row, today),
                lapses=row["my_lapses"],
                ease="–"
                if ease is None or row["my_scheduler"] != "sm2"
                else f"{Decimal(ease):.2f}",
            )
        )
    return out


class BankPaginator(Paginator):
    """Pages of search()'s rows, read with a deferred join: the page's ids
    come from the filtered query's sort keys alone (on page 100 PostgreSQL
    walks question_stage_order for 5,000 ids instead of sorting 10,000 whole
    rows), then `shown` (columns(), unfiltered) reads those 50 rows by id.
    Still one statement per page.

    With a `cap` (a text search), counts at most `cap` matches and pages
    through those alone: counting every match of a common word tests every
    question's vector (8,654 of 10,000 for "model"), and a count that stops
    at the cap reads about as many rows as it counts. `has_more` says the
    cap was reached."""

    def __init__(
        self,
        object_list: QuerySet,
        per_page: int,
        *,
        shown: QuerySet,
        cap: int | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.shown = shown
        self.cap = cap
        self.has_more = False

    @cached_property
    def count(self) -> int:
        if self.cap is None:
            return self.object_list.count()
        found = self.object_list.order_by()[: self.cap + 1].count()
        self.has_more = found > self.cap
        return min(found, self.cap)

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values("pk")[bottom : bottom + self.per_page]
        return self._get_page(self.shown.filter(pk__in=ids), number, self)


def found(page: Page) -> str:
    """The results' heading: '1 question', '10,000 questions', or past a
    search's cap 'More than 1,000 questions'."""
    n = page.paginator.count
    if page.paginator.has_more:
        return f"More than {n:,} questions"
    return f"{n:,} question{'' if n == 1 else 's'}"


def paginate(
    questions: QuerySet, number: int | None, *, user: object, sort: str, is_search: bool
) -> Page:
    """A text search pages through its first COUNT_CAP matches; browsing by
    filters alone pages through all of them (their count reads no text)."""
    paginator = BankPaginator(
        questions,
        PER_PAGE,
        shown=columns(user, sort),
        cap=COUNT_CAP if is_search else None,
    )
    return paginator.get_page(number or 1)

"""Browse and search the bank as a learner (issue 16): reads only.

One query for the page's rows and one for their count, whatever the page;
the topic names come from the filter's own list. Text search is PostgreSQL
full-text search on a stored, GIN-indexed tsvector column (migration 0019)
and a plain substring match on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from cards.models import LearnerTopic, Level, Question, Topic
from cards.progress.core import MATURE_DAYS

PER_PAGE = 50
MAX_QUERY = 200
# The indexed expression of migration 0017 (keep the two the same, or
# PostgreSQL stops using the index).
SEARCH_VECTOR = (
    "to_tsvector('english', cards_question.prompt || ' ' || cards_question.answer)"
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


def visible_to(user: object) -> Q:
    """Questions in no topic, or in a topic this learner may see: an opt-in
    topic's questions (the demo's placeholders) only reach who chose it.
    The same shape as the queue's filter (queue_sql.studied_by)."""
    chosen = LearnerTopic.objects.filter(
        user=user, topic=OuterRef("pk"), is_studied=True
    )
    hidden_topics = Topic.objects.filter(~Exists(chosen), is_opt_in=True)
    links = Question.topics.through.objects
    seen_link = links.filter(question=OuterRef("question")).exclude(
        topic__in=hidden_topics
    )
    hidden = (
        links.filter(topic__in=hidden_topics)
        .filter(~Exists(seen_link))
        .values("question")
    )
    return ~Q(pk__in=hidden)


def _search(questions: QuerySet[Question], text: str) -> QuerySet[Question]:
    if connection.vendor == "postgresql":
        match = RawSQL(
            f"{SEARCH_VECTOR} @@ websearch_to_tsquery('english', %s)",
            (text,),
            output_field=BooleanField(),
        )
        return questions.filter(match)
    for word in text.split()[:10]:
        questions = questions.filter(
            Q(prompt__icontains=word) | Q(answer__icontains=word)
        )
    return questions


def search(
    user: object,
    *,
    today: date,
    topic: Topic | None = None,
    level: int | None = None,
    text: str = "",
    state: str = "",
    sort: str = "order",
) -> QuerySet[Question]:
    topic_ids = Question.topics.through.objects.filter(question=OuterRef("pk"))
    questions = (
        Question.objects.active()
        .filter(visible_to(user))
        .annotate(
            mine=FilteredRelation("schedules", condition=Q(schedules__user=user)),
            topic_ids=Subquery(
                topic_ids.values("question")
                .annotate(
                    ids=StringAgg(Cast("topic_id", CharField()), delimiter=Value(","))
                )
                .values("ids")
            ),
        )
    )
    if topic is not None:
        questions = questions.filter(Exists(topic_ids.filter(topic=topic)))
    if level:
        questions = questions.filter(level=level)
    if text:
        questions = _search(questions, text)
    if state:
        questions = questions.filter(STATES[state](today))
    return questions.order_by(*SORTS.get(sort or "order", SORTS["order"])).values(
        "pk",
        "prompt",
        "level",
        "topic_ids",
        my_id=F("mine__id"),
        my_lapses=F("mine__lapses"),
        my_ease=F("mine__ease"),
        my_repetitions=F("mine__repetitions"),
        my_interval=F("mine__interval_days"),
        my_redrill=F("mine__redrill_on"),
        my_scheduler=F("mine__scheduler"),
    )


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
    names = {t.pk: t.name for t in topics}
    out = []
    for row in page.object_list:
        ids = [int(i) for i in (row["topic_ids"] or "").split(",") if i]
        ease = row["my_ease"]
        out.append(
            Row(
                question_id=row["pk"],
                prompt=row["prompt"],
                level=Level(row["level"]).label,
                topics=tuple(names[i] for i in ids if i in names),
                state=_state(row, today),
                lapses=row["my_lapses"],
                ease="–"
                if ease is None or row["my_scheduler"] != "sm2"
                else f"{Decimal(ease):.2f}",
            )
        )
    return out


def paginate(questions: QuerySet, number: int | None) -> Page:
    return Paginator(questions, PER_PAGE).get_page(number or 1)

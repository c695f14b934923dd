"""Topic writes of the bank (issue 16): the shipped topics, and topics by name
for imports. Re-exported by cards.bank.services."""

from __future__ import annotations

from django.db.models import Q
from django.utils.text import slugify

from cards.bank import topics
from cards.models import Question, Topic


def ensure_topics(*, using: str = "default") -> None:
    """The bank's own topics (cards/bank/topics.py), added where missing."""
    for order, (slug, name) in enumerate(topics.TOPICS):
        Topic.objects.using(using).get_or_create(
            slug=slug, defaults={"name": name, "order": order}
        )


def topics_named(
    names: tuple[str, ...], *, known: dict[str, Topic] | None = None
) -> list[Topic]:
    """The topics of these names (case-insensitive), created when new.

    `known` (name as given -> topic) carries what one import has already
    looked up: a bank of 178 questions names its dozen topics 625 times."""
    known = {} if known is None else known
    found = []
    for name in names:
        topic = known.get(name)
        if topic is None:
            topic = _topic_named(name)
            known[name] = topic
        found.append(topic)
    return found


def _topic_named(name: str) -> Topic:
    topic = Topic.objects.filter(Q(name__iexact=name) | Q(slug=name)).first()
    if topic is None:
        slug = slugify(name)[:70] or "topic"
        if Topic.objects.filter(slug=slug).exists():
            slug = f"{slug}-{Topic.objects.count() + 1}"
        last = Topic.objects.order_by("-order").first()
        order = last.order + 1 if last else 0
        topic = Topic.objects.create(name=name, slug=slug, order=order)
    return topic


def set_topics(
    question: Question,
    names: tuple[str, ...],
    *,
    known: dict[str, Topic] | None = None,
) -> None:
    question.topics.set(topics_named(names, known=known))
    getattr(question, "_prefetched_objects_cache", {}).pop("topics", None)

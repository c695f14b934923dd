"""The topics' part of "Your data" (issue 16): the learner's topic choices."""

from __future__ import annotations

from cards.models import LearnerTopic, Topic

MAX_TOPICS = 500
_KEYS = {"studied", "skipped"}


def export_topics(user: object) -> dict[str, list[str]]:
    """Topic slugs where the learner's choice differs from the default."""
    rows = LearnerTopic.objects.filter(user=user).select_related("topic")
    rows = sorted(rows, key=lambda r: r.topic.slug)
    return {
        "studied": [r.topic.slug for r in rows if r.is_studied],
        "skipped": [r.topic.slug for r in rows if not r.is_studied],
    }


def parse_topics(raw: object) -> dict[str, list[str]]:
    """Validate the file's "topics"; ValueError says what is wrong."""
    if not isinstance(raw, dict) or set(raw) != _KEYS:
        raise ValueError("topics must have exactly skipped, studied")
    for key in sorted(_KEYS):
        values = raw[key]
        if (
            not isinstance(values, list)
            or len(values) > MAX_TOPICS
            or not all(isinstance(v, str) and 0 < len(v) <= 80 for v in values)
        ):
            raise ValueError(f"topics.{key} must be a list of topic slugs")
    if set(raw["studied"]) & set(raw["skipped"]):
        raise ValueError("topics: a topic cannot be both studied and skipped")
    return {key: sorted(set(raw[key])) for key in _KEYS}


def import_topics(user: object, parsed: dict[str, list[str]]) -> None:
    """Restore the choices (the file's replace the account's) for the topics
    this installation has; slugs it does not know are left out."""
    topics = {
        t.slug: t for t in Topic.objects.filter(slug__in=sum(parsed.values(), []))
    }
    LearnerTopic.objects.filter(user=user).delete()
    LearnerTopic.objects.bulk_create(
        LearnerTopic(user=user, topic=topics[slug], is_studied=key == "studied")
        for key in ("studied", "skipped")
        for slug in parsed[key]
        if slug in topics
    )

"""Which topics a learner studies (issue 16): the choices as Settings shows
them, and the one write that stores them. The queue applies the choice
through cards/review/queue_sql.studied_by."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from cards.models import LearnerTopic, Topic


def visible_topics(user: object) -> QuerySet[Topic]:
    """Every topic that is not opt-in, and the opt-in ones this learner chose."""
    chosen = LearnerTopic.objects.filter(
        user=user, topic=OuterRef("pk"), is_studied=True
    )
    return Topic.objects.filter(Q(is_opt_in=False) | Exists(chosen))


def browse_topics(user: object) -> tuple[list[Topic], list[int]]:
    """The topics this learner may see, and the ids of the opt-in ones they
    did not choose (one query): browse lists the first and leaves the second's
    questions out."""
    chosen = LearnerTopic.objects.filter(
        user=user, topic=OuterRef("pk"), is_studied=True
    )
    everything = list(Topic.objects.annotate(is_chosen=Exists(chosen)))
    seen = [t for t in everything if t.is_chosen or not t.is_opt_in]
    return seen, [t.pk for t in everything if t.is_opt_in and not t.is_chosen]


def studied_topics(user: object) -> list[Topic]:
    """The topics this learner studies, in topic order (one query)."""
    choice = LearnerTopic.objects.filter(user=user, topic=OuterRef("pk"))
    return list(
        Topic.objects.filter(
            Q(~Exists(choice), is_opt_in=False) | Exists(choice.filter(is_studied=True))
        )
    )


@transaction.atomic
def choose_topics(*, user: object, studied: Iterable[Topic]) -> None:
    """Store the choice: a row only where it differs from the topic's default."""
    studied_ids = {t.pk for t in studied}
    for topic in visible_topics(user):
        is_studied = topic.pk in studied_ids
        if is_studied == (not topic.is_opt_in):
            LearnerTopic.objects.filter(user=user, topic=topic).delete()
        else:
            LearnerTopic.objects.update_or_create(
                user=user, topic=topic, defaults={"is_studied": is_studied}
            )


class TopicChoiceForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Topics I study",
        help_text="New and due cards, daily limits, browse counts and progress "
        "follow this choice. Questions without a topic are always included.",
        error_messages={"required": "Choose at least one topic."},
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = visible_topics(user)
        if not self.is_bound:
            self.initial["topics"] = [t.pk for t in studied_topics(user)]

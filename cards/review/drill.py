"""Drill my weakest (issue 16): which cards, and the session's progress.

A drill is a short session of the learner's N weakest started cards (the
lowest ease, or the most lapses), optionally within one topic. Its answers go
through services.record_review with Flow.DRILL, so the rule for answers off
the schedule applies (cards/review/answer.py): a failure is a lapse, a
success never lengthens an interval. The session is a list of question ids
kept in the learner's session; nothing else is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from cards.models import ReviewSchedule, Topic
from cards.review.queue_sql import studied_by

SIZES = (5, 10, 20)
BY = {
    "ease": ("ease", "-lapses"),
    "lapses": ("-lapses", "ease"),
}
SESSION_KEY = "drill"


def weakest(
    user: object, *, size: int, by: str = "ease", topic: Topic | None = None
) -> list[int]:
    """The question ids of the learner's `size` weakest active started cards,
    in the topics they study (and in `topic`, if given), weakest first."""
    schedules = ReviewSchedule.objects.filter(
        studied_by(user, "question_id"), user=user, question__is_active=True
    )
    if topic is not None:
        schedules = schedules.filter(question__topics=topic)
    order = (*BY[by], "question__stage", "question__level", "question__position")
    return list(schedules.order_by(*order).values_list("question_id", flat=True)[:size])


class DrillForm(forms.Form):
    topic = forms.ChoiceField(label="Topic", required=False)
    size = forms.TypedChoiceField(
        label="Cards",
        coerce=int,
        initial=10,
        choices=[(n, f"{n} cards") for n in SIZES],
    )
    by = forms.ChoiceField(
        label="Weakest by",
        initial="ease",
        choices=[("ease", "Lowest ease"), ("lapses", "Most lapses")],
    )

    def __init__(self, *args: object, topics: list[Topic], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "All my topics")] + [
            (t.slug, t.name) for t in topics
        ]


@dataclass
class Session:
    """A drill under way: the cards, how far it got, and how it went."""

    ids: list[int]
    at: int = 0
    failed: int = 0
    topic: str = ""

    @property
    def current(self) -> int | None:
        return self.ids[self.at] if self.at < len(self.ids) else None

    @property
    def is_done(self) -> bool:
        return self.at >= len(self.ids)

    def as_dict(self) -> dict:
        return {
            "ids": self.ids,
            "at": self.at,
            "failed": self.failed,
            "topic": self.topic,
        }

    @classmethod
    def load(cls, data: object) -> Session | None:
        if not isinstance(data, dict):
            return None
        try:
            ids = [int(i) for i in data["ids"]]
            return cls(ids, int(data["at"]), int(data["failed"]), str(data["topic"]))
        except (KeyError, TypeError, ValueError):
            return None

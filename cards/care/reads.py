"""What a learner's card carries beside its schedule: a note, a suspension, a leech.

Reads only. `for_card` is what the review's back face, card info and the
card's own page show (one query).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from cards.care.models import NOTE_MAX_CHARS, REPORT_MAX_CHARS, CardNote, Suspension
from cards.models import Question, ReviewSchedule

# Anki's default: a card forgotten this many times is a leech.
LEECH_LAPSES = 8


def is_leech(lapses: int) -> bool:
    return lapses >= LEECH_LAPSES


def leech_notice(*, lapses_before: int, lapses_after: int) -> str:
    """What to tell the learner when an answer has just made the card a leech."""
    if is_leech(lapses_after) and not is_leech(lapses_before):
        return (
            f"That card is now a leech: you have forgotten it {lapses_after} times. "
            "When it comes back, suspend it or report it below its answer, or from "
            "its card info."
        )
    return ""


@dataclass(frozen=True)
class CardCare:
    question_id: int
    note: str
    is_suspended: bool
    lapses: int
    note_max: int = NOTE_MAX_CHARS
    report_max: int = REPORT_MAX_CHARS

    @property
    def is_leech(self) -> bool:
        return is_leech(self.lapses)


def for_card(user: object, question_id: int) -> CardCare:
    """The learner's note, suspension and lapses on one card, in one query."""
    mine = {"user": user, "question": OuterRef("pk")}
    row = (
        Question.objects.filter(pk=question_id)
        .annotate(
            note=Subquery(CardNote.objects.filter(**mine).values("text")[:1]),
            suspended=Exists(Suspension.objects.filter(**mine)),
            lapses=Subquery(ReviewSchedule.objects.filter(**mine).values("lapses")[:1]),
        )
        .values("note", "suspended", "lapses")
        .first()
    ) or {}
    return CardCare(
        question_id=question_id,
        note=row.get("note") or "",
        is_suspended=bool(row.get("suspended")),
        lapses=row.get("lapses") or 0,
    )


def not_suspended(user: object) -> Q:
    """A filter for `user`'s schedules: the cards they have not suspended.

    NOT IN over their few suspensions, read once; a correlated NOT EXISTS
    probed once per schedule, four times slower on PostgreSQL with 300.
    """
    return ~Q(question_id__in=suspended_ids(user))


def suspended_ids(user: object) -> QuerySet:
    """The ids of the questions `user` suspended, for `pk__in` filters (browse)."""
    return Suspension.objects.filter(user=user).values("question_id")

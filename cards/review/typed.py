"""Typed answers: a question's stored key points handed to the pure checker."""

from __future__ import annotations

from dataclasses import dataclass

from cards.models import KeyPoint, Question
from cards.review import buttons, check, embed
from cards.review.services import TypedAnswer

# Answers longer than this are refused with a message, not cut (the review
# form and check_answer say so); the checker reads at most MAX_ANSWER_CHARS.
MAX_TYPED_CHARS = check.MAX_ANSWER_CHARS


def as_point(point: KeyPoint) -> check.Point:
    return check.Point(
        statement=point.statement,
        aliases=tuple(point.alias_list),
        is_must=point.is_must,
        is_misconception=point.is_misconception,
        id=point.pk,
    )


def points_of(question: Question) -> list[check.Point]:
    return [as_point(p) for p in question.key_points.all()]


def check_answer(
    question: Question, text: str, points: list[check.Point] | None = None
) -> check.Verdict:
    """The verdict on `text` for `question`, with the shipped semantic matcher."""
    return check.check(
        text,
        points_of(question) if points is None else points,
        prompt=question.prompt,
        matcher=embed.default().similarities,
    )


@dataclass(frozen=True)
class ShownPoint:
    statement: str
    covered: bool
    sentence: str | None


@dataclass(frozen=True)
class Shown:
    """A verdict as the reveal shows it (the template only loops)."""

    text: str
    score_percent: int
    suggested_grade: int
    suggested_button: int
    points: list[ShownPoint]
    misconceptions: list[str]
    sentences: list[tuple[str, bool]]  # the answer's sentences; True: covers a point
    is_term_list: bool


def shown(text: str, verdict: check.Verdict, *, scale: str) -> Shown:
    covering = {r.sentence for r in verdict.points if r.covered}
    return Shown(
        text=text,
        score_percent=round(verdict.score * 100),
        suggested_grade=verdict.suggested_grade,
        suggested_button=buttons.suggested_choice(scale, verdict.suggested_grade),
        points=[
            ShownPoint(r.point.statement, r.covered, r.sentence) for r in verdict.points
        ],
        misconceptions=[r.point.statement for r in verdict.misconceptions],
        sentences=[(s, s in covering) for s in check.sentences(text)],
        is_term_list=verdict.is_term_list,
    )


def typed_answer(text: str, verdict: check.Verdict) -> TypedAnswer:
    return TypedAnswer(
        text=text,
        score=round(verdict.score, 4),
        suggested_grade=verdict.suggested_grade,
        missed=tuple(
            r.point.id for r in verdict.points if not r.covered and r.point.id
        ),
    )

"""What the mock pages show, shaped from the rows (the templates only loop)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cards.learner.choices import Confidence
from cards.mock import plan
from cards.mock.models import MockAnswer, MockInterview
from cards.models import Level
from cards.review import buttons


@dataclass(frozen=True)
class Choice:
    grade: int
    label: str
    tone: str
    is_suggested: bool


@dataclass(frozen=True)
class Item:
    row: MockAnswer
    number: int
    level: str
    used: str
    limit: str
    score_percent: int | None
    confidence: str
    covered: list[str]
    missed: list[str]
    choices: list[Choice]
    grade_label: str
    is_weak: bool


def _label(scale: str, grade: int | None) -> str:
    for c in buttons.choices(scale):
        if c.grade == grade:
            return c.label
    return "" if grade is None else str(grade)


def item(row: MockAnswer, *, scale: str, is_weak: bool) -> Item:
    suggested = (
        buttons.suggested_choice(scale, row.suggested_grade)
        if row.suggested_grade is not None
        else None
    )
    return Item(
        row=row,
        number=row.position + 1,
        level=Level(row.question.level).label,
        used=plan.duration_text(row.used_ms),
        limit=plan.duration_text(row.time_limit_s * 1000),
        score_percent=None if row.score is None else round(row.score * 100),
        confidence=Confidence(row.confidence).label if row.confidence else "",
        covered=[s for s, ok in row.points if ok],
        missed=[s for s, ok in row.points if not ok],
        choices=[
            Choice(c.grade, c.label, c.tone, c.grade == suggested)
            for c in buttons.choices(scale)
        ],
        grade_label=_label(scale, row.grade) if row.is_confirmed else "",
        is_weak=is_weak,
    )


@dataclass(frozen=True)
class Summary:
    percent: int | None
    answers: int
    late: int
    confirmed: int
    weakest: list[plan.Group]
    weakest_kind: str  # "levels" or "topics"
    weak: int
    soon_done: bool


def summary(
    mock: MockInterview, items: list[Item], topics: dict[int, list[str]]
) -> Summary:
    """`topics`: each answer's topic names by answer id (none: by level)."""
    rows = [i.row for i in items]
    scored = [r for r in rows if r.score is not None]
    by_topic = any(topics.get(r.pk) for r in scored)
    return Summary(
        percent=plan.percent(r.score for r in scored),
        answers=len(rows),
        late=sum(r.is_late for r in rows),
        confirmed=sum(r.is_confirmed for r in rows),
        weakest=plan.weakest(
            (
                topics.get(r.pk, ()) if by_topic else (Level(r.question.level).label,),
                r.score,
            )
            for r in scored
        ),
        weakest_kind="topics" if by_topic else "levels",
        weak=sum(i.is_weak for i in items),
        soon_done=mock.soon_at is not None,
    )


@dataclass(frozen=True)
class Past:
    mock: MockInterview
    percent: int | None
    answers: int
    when: datetime


def millis(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)

"""Grade buttons: the four- and six-button scales and where each answer leads.

Pure (no ORM): each button shows the answer rule's outcome for its grade
(cards/review/answer.py), the very code that later applies the grade.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from cards.review.answer import Outcome

FOUR = "four"
SIX = "six"


@dataclass(frozen=True)
class GradeChoice:
    grade: int
    label: str
    meaning: str
    key: str
    tone: str  # colour family in the stylesheet: again, hard, good, easy


# Anki's four buttons on SM-2's scale: Again=1, Hard=3, Good=4, Easy=5.
FOUR_CHOICES = (
    GradeChoice(1, "Again", "I did not know it", "1", "again"),
    GradeChoice(3, "Hard", "Correct, with serious difficulty", "2", "hard"),
    GradeChoice(4, "Good", "Correct after some hesitation", "3", "good"),
    GradeChoice(5, "Easy", "Perfect, effortless recall", "4", "easy"),
)
# SM-2's six grades with Wozniak's meanings (1990).
SIX_CHOICES = (
    GradeChoice(0, "Blackout", "Complete blackout", "0", "again"),
    GradeChoice(1, "Wrong", "Incorrect, but I recognised the answer", "1", "again"),
    GradeChoice(2, "Almost", "Incorrect, but the answer seemed easy", "2", "hard"),
    GradeChoice(3, "Hard", "Correct, with serious difficulty", "3", "hard"),
    GradeChoice(4, "Good", "Correct after a hesitation", "4", "good"),
    GradeChoice(5, "Perfect", "Perfect response", "5", "easy"),
)


def describe_interval(days: int) -> tuple[str, str]:
    """Short and spoken forms of an interval: ("3.5 mo", "3.5 months")."""
    if days < 1:
        return "today", "later today"
    if days < 30:
        unit, value = "d", days
    elif days < 365:
        unit, value = "mo", days / 30.4375
    else:
        unit, value = "y", days / 365.25
    shown = f"{value:.1f}".rstrip("0").rstrip(".") if unit != "d" else str(value)
    words = {"d": "day", "mo": "month", "y": "year"}[unit]
    spoken = f"{shown} {words}" + ("" if shown == "1" else "s")
    return f"{shown} {unit}", spoken


def choices(scale: str) -> tuple[GradeChoice, ...]:
    return SIX_CHOICES if scale == SIX else FOUR_CHOICES


def allowed_grades(scale: str) -> frozenset[int]:
    return frozenset(c.grade for c in choices(scale))


@dataclass(frozen=True)
class GradeButton:
    choice: GradeChoice
    interval: str  # "6 d", "3.5 mo"
    again_today: bool
    aria_label: str

    @property
    def grade(self) -> int:
        return self.choice.grade


def buttons(
    *, scale: str, today: date, outcome: Callable[[int], Outcome]
) -> list[GradeButton]:
    """One button per grade of `scale`, each with the interval it leads to.

    `outcome(grade)` is what an answer with that grade does (the answer rule),
    so a re-drill's or an off-schedule success's buttons show the due date it
    keeps, and an answer that brings the card back later today is marked.
    """
    result = []
    for choice in choices(scale):
        after = outcome(choice.grade)
        # In one of FSRS's same-day steps the card has no interval of days yet.
        days = 0 if after.in_step else (after.due_on - today).days
        again_today = after.redrill_on == today
        short, spoken = describe_interval(days)
        if days < 1:
            words = "see it again later today"
        elif again_today:
            words = f"see it again later today, then in {spoken}"
        else:
            words = f"next in {spoken}"
        result.append(
            GradeButton(
                choice=choice,
                interval=short,
                again_today=again_today and days >= 1,
                aria_label=f"{choice.label} ({choice.meaning}): {words}",
            )
        )
    return result

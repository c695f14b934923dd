"""The back of a card: the answer, the grade buttons with their intervals, the
typed answer's verdict and the learner's own card tools (note, suspend, leech).

Built for the no-JavaScript reveal and, hidden in a <template>, with every
self-graded card (one request per card).
"""

from __future__ import annotations

from dataclasses import dataclass

from cards import markdown
from cards.care import reads as care_reads
from cards.planning import reads as planning_reads
from cards.review import answer, buttons, grade_html, queue, typed


@dataclass(frozen=True)
class Revealed:
    answer_html: str
    buttons: list[buttons.GradeButton]
    verdict: typed.Shown | None = None
    notice: str = ""
    care: care_reads.CardCare | None = None  # note, suspend, leech (cards/care)

    @property
    def grade_fieldset(self) -> str:
        suggested = self.verdict.suggested_button if self.verdict else None
        return grade_html.fieldset(tuple(self.buttons), suggested)


def back(card: queue.Card, profile, today, has_plan: bool) -> Revealed | None:
    """The answer and buttons, hidden in a self-graded card for the browser to
    reveal (one request per card); none for typed answers (no text before submit)."""
    if card.answer is None:
        return None
    return revealed(
        markdown.render(card.answer),
        card,
        scale=profile.grade_scale,
        profile=profile,
        today=today,
        has_plan=has_plan,
        care=queued_care(card),
    )


def queued_care(card: queue.Card) -> care_reads.CardCare:
    """The care of a card the queue served: never suspended; its note came
    with the queue's heads (no query)."""
    return care_reads.CardCare(
        question_id=card.question_id,
        note=card.note or "",
        is_suspended=False,
        lapses=card.schedule.lapses if card.schedule else 0,
    )


def revealed(
    answer_html: str,
    card: queue.Card,
    *,
    scale: str,
    profile,
    today,
    verdict: typed.Shown | None = None,
    notice: str = "",
    has_plan: bool = True,
    care: care_reads.CardCare | None = None,
) -> Revealed:
    schedule = card.schedule
    elapsed = schedule.elapsed_days(today=today, profile=profile) if schedule else 0

    # The interview plan's cap, as grading will apply it (no plan row: none).
    cap_for = planning_reads.capper_for(
        profile.user, today=today, level=card.level, has_plan=has_plan
    )

    def outcome(grade: int) -> answer.Outcome:
        return answer.outcome_for(
            card.kind,
            schedule,
            grade=grade,
            today=today,
            elapsed_days=elapsed,
            new_scheduler=profile.scheduler,
            desired_retention=profile.retention,
            cap_for=cap_for,
        )

    return Revealed(
        answer_html,
        buttons.buttons(scale=scale, today=today, outcome=outcome),
        verdict,
        notice,
        care or care_reads.for_card(profile.user, card.question_id),
    )

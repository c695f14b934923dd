"""Why an answer or an undo was refused: one reason each, one sentence each.

Pure (no Django). The services raise ReviewConflict with a Reason; views pick
the status from the reason and show MESSAGES[reason], so no caller compares
message strings.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    STALE = "stale"  # the card changed since it was shown (another tab, a replay)
    RETIRED = "retired"  # the question left the bank
    NOT_DUE = "not_due"  # not due today, and the flow keeps to the schedule
    ALREADY_UNDONE = "already_undone"  # no such answer (undone, or not yours)
    NOT_TODAY = "not_today"  # only today's answers can be undone
    LATER_ANSWERS = "later_answers"  # undo the card's later answers first
    SUSPENDED = "suspended"  # suspended since it was shown (another tab)


MESSAGES: dict[Reason, str] = {
    Reason.STALE: "This card was already answered (perhaps in another tab), so "
    "that grade was not counted twice. Here is your next card.",
    Reason.RETIRED: "This question has been retired from the bank.",
    Reason.NOT_DUE: "This card is not due today.",
    Reason.ALREADY_UNDONE: "There is no such answer to undo; it may have been "
    "undone already.",
    Reason.NOT_TODAY: "Only today's answers can be undone.",
    Reason.LATER_ANSWERS: "Undo the later answers to this card first.",
    Reason.SUSPENDED: "This card was suspended (perhaps in another tab), so "
    "that grade was not counted. Here is your next card.",
}


class ReviewConflict(Exception):
    """The card is no longer in the state the learner saw (409 for the views)."""

    def __init__(self, reason: Reason) -> None:
        self.reason = Reason(reason)
        super().__init__(MESSAGES[self.reason])

    @property
    def message(self) -> str:
        return MESSAGES[self.reason]

"""What a learner last saw of a question, from its revisions (pure).

A schedule's note ("rewritten since you last answered it") and its diff
compare the question as it reads now with the text current when the learner
last answered: the newest revision made up to that moment, else the text
before the first revision after it, else (no revisions) the text as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol


class Revision(Protocol):
    created_at: datetime
    old_prompt: str
    new_prompt: str
    old_answer: str
    new_answer: str


def text_at(
    revisions: Sequence[Revision], moment: datetime, *, now: tuple[str, str]
) -> tuple[str, str]:
    """(prompt, answer) as they read at `moment`; `revisions` oldest first."""
    before = [r for r in revisions if r.created_at <= moment]
    if before:
        return before[-1].new_prompt, before[-1].new_answer
    if revisions:
        return revisions[0].old_prompt, revisions[0].old_answer
    return now


def seen_text(
    revisions: Sequence[Revision],
    *,
    last_answered: datetime | None,
    unseen: Revision | None,
    now: tuple[str, str],
) -> tuple[str, str]:
    """What the learner last saw: the text at their last answer; without a
    known answer time, the text before the change they have not seen."""
    if last_answered is not None:
        return text_at(revisions, last_answered, now=now)
    if unseen is not None:
        return unseen.old_prompt, unseen.old_answer
    return now

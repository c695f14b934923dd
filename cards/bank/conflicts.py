"""Imports that would revert a newer edit: found from the questions' revisions.

A file carries no version per question, but the revisions record every text a
question has had. When a file's prompt, answer or key points equal a text the
stored question had before a later revision changed it, the file is older
than that revision: applying it would silently undo it. Such a change is a
conflict, and the import needs an explicit choice for it: keep the stored
question or take the file's. (A file edited on its own since the export, whose
text the bank never had, cannot be dated this way: it imports as an update.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from cards.bank import formats as bank
from cards.models import QuestionRevision, RevisionSource

KEEP, TAKE = "keep", "take"
CHOICES = {KEEP: "Keep the stored question", TAKE: "Take the file's version"}
TEXTS = ("prompt", "answer", "key_points")


@dataclass(frozen=True)
class Conflict:
    key: str
    fields: tuple[str, ...]  # the fields the file would revert
    changed_at: datetime  # the newest revision that the file would undo
    changed_by: str
    source: str

    def describe(self) -> str:
        what = ", ".join(f.replace("_", " ") for f in self.fields)
        return (
            f"The file has an older {what}: it was changed since, on "
            f"{self.changed_at:%Y-%m-%d %H:%M} UTC by {self.changed_by}."
        )


class UnresolvedConflicts(Exception):
    def __init__(self, conflicts: Mapping[str, Conflict]) -> None:
        self.conflicts = dict(conflicts)
        keys = ", ".join(sorted(conflicts))
        super().__init__(f"Choose keep or take for each conflict: {keys}")


def _value(data: bank.QuestionData, field: str) -> str | None:
    if field == "key_points":
        if data.key_points is None:
            return None
        return "\n".join(p.as_line() for p in data.key_points)
    return getattr(data, field)


def _texts(revision: QuestionRevision, field: str) -> tuple[str, str]:
    return getattr(revision, f"old_{field}"), getattr(revision, f"new_{field}")


def find(plan: bank.ImportPlan) -> dict[str, Conflict]:
    """The plan's updates that would revert a later revision, by key (one query)."""
    updates = {
        c.new.key: c for c in plan.of("update") if any(f in TEXTS for f in c.fields)
    }
    history: dict[str, list[QuestionRevision]] = {}
    revisions = (
        QuestionRevision.objects.filter(question__key__in=updates)
        .select_related("editor", "question")
        .order_by("created_at", "id")
    )
    for revision in revisions:
        history.setdefault(revision.question.key, []).append(revision)
    found = {}
    for key, change in updates.items():
        reverted, newest = [], None
        for field in (f for f in change.fields if f in TEXTS):
            mine = _value(change.new, field)
            left = [
                r
                for r in history.get(key, [])
                if _texts(r, field)[0] == mine and _texts(r, field)[1] != mine
            ]
            if left:
                reverted.append(field)
                touched = [
                    r for r in history[key] if r.created_at >= left[-1].created_at
                ]
                last = touched[-1]
                newest = (
                    last
                    if newest is None or last.created_at > newest.created_at
                    else newest
                )
        if reverted and newest is not None:
            found[key] = Conflict(
                key=key,
                fields=tuple(reverted),
                changed_at=newest.created_at,
                changed_by=_who(newest),
                source=newest.source,
            )
    return found


def _who(revision: QuestionRevision) -> str:
    if revision.source == RevisionSource.IMPORT:
        return f"an import{f' by {revision.editor}' if revision.editor else ''}"
    return str(revision.editor) if revision.editor else "an admin"

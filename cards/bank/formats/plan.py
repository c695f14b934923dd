"""What an import would do: compare parsed questions with the stored ones."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cards.bank.formats.core import Problem, QuestionData

COMPARED = ("level", "position", "prompt", "answer", "is_active", "key_points")
COMPARED += ("topics", "sources", "verified_on")


def _same(name: str, old: object, new: object) -> bool:
    if name == "topics":  # a question's topics are a set
        return {t.lower() for t in old or ()} == {t.lower() for t in new or ()}
    if name == "sources":
        return tuple(old or ()) == tuple(new or ())
    return old == new


@dataclass(frozen=True)
class Change:
    action: str  # "create", "update" or "unchanged"
    new: QuestionData
    old: QuestionData | None = None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportPlan:
    changes: tuple[Change, ...]
    repairs: tuple[Problem, ...] = ()
    not_in_file: int = 0

    def of(self, action: str) -> list[Change]:
        return [c for c in self.changes if c.action == action]

    @property
    def counts(self) -> dict[str, int]:
        return {a: len(self.of(a)) for a in ("create", "update", "unchanged")}

    def summary(self) -> str:
        c = self.counts
        return (
            f"{c['create']} created, {c['update']} updated, {c['unchanged']} unchanged"
        )

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for change in self.changes:
            digest.update(repr((change.action, change.new, change.old)).encode())
        return digest.hexdigest()


def changed_fields(old: QuestionData, new: QuestionData) -> tuple[str, ...]:
    return tuple(
        name
        for name in COMPARED
        if getattr(new, name) is not None
        and not _same(name, getattr(old, name), getattr(new, name))
    )


def plan_import(
    incoming: Sequence[QuestionData],
    existing: Mapping[str, QuestionData],
    *,
    bank_size: int = 0,
    repairs: Sequence[Problem] = (),
) -> ImportPlan:
    """Compare parsed questions with the stored ones of the same key."""
    changes = []
    for new in incoming:
        old = existing.get(new.key)
        if old is None:
            changes.append(Change("create", new))
            continue
        fields = changed_fields(old, new)
        changes.append(Change("update" if fields else "unchanged", new, old, fields))
    matched = sum(1 for new in incoming if new.key in existing)
    return ImportPlan(tuple(changes), tuple(repairs), max(0, bank_size - matched))

"""Which review request a page action is: by its URL name, else by its shape."""

from __future__ import annotations

import random
from functools import lru_cache

from django.urls import Resolver404, resolve

from bench import html


@lru_cache(maxsize=4096)
def view_name(path: str) -> str | None:
    """The URL name `path` resolves to, resolved once per path: a card's four
    to six grade buttons share one (issue 12: the harness runs on the server's
    cores)."""
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def classify(action: html.Action, seen: dict | None = None) -> str | None:
    """reveal / grade / undo, by the URL name the action's path resolves to;
    by its shape when the names differ from the contract."""
    name = view_name(action.path)
    if name is None:
        return None
    # A typed answer's check is its card's first request, as a reveal is.
    kind = {
        "cards:reveal": "reveal",
        "cards:check": "reveal",
        "cards:grade": "grade",
        "cards:undo": "undo",
    }.get(name)
    if kind is None and name.startswith("cards:"):
        if action.method == "POST" and "grade" in action.fields:
            kind = "grade"
        elif action.method == "GET" and action.htmx and action.path != "/review/":
            kind = "reveal" if action.path.startswith("/review/") else None
    if kind and seen is not None:
        seen.setdefault(kind, set()).add(name)
    return kind


# Anki-like answer mix: mostly Good. Keys are SM-2 grades.
GRADE_WEIGHTS = {0: 1, 1: 8, 2: 1, 3: 14, 4: 60, 5: 16}


def choose_grade(actions: list[html.Action], rng: random.Random) -> html.Action:
    def weight(a: html.Action) -> float:
        value = a.fields.get("grade", "")
        return GRADE_WEIGHTS.get(int(value), 1) if value.isdigit() else 1

    return rng.choices(actions, weights=[weight(a) for a in actions])[0]

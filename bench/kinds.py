"""Which review request a page action is: by its URL name, else by its shape."""

from __future__ import annotations

from django.urls import Resolver404, resolve

from bench import html


def classify(action: html.Action, seen: dict | None = None) -> str | None:
    """reveal / grade / undo, by the URL name the action's path resolves to;
    by its shape when the names differ from the contract."""
    try:
        name = resolve(action.path).view_name
    except Resolver404:
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

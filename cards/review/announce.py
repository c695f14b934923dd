"""What a screen reader hears after a grade: the next card and what is left."""

from __future__ import annotations

import html
from functools import lru_cache

from django.utils.html import strip_tags

from cards.review.queue import Queue


@lru_cache(maxsize=1024)
def _plain(markup: str) -> str:
    # strip_tags runs Python's HTMLParser (0.5 ms for a prompt); the result
    # depends on the markup alone, and the markup on the question's revision.
    return " ".join(html.unescape(strip_tags(markup)).split())


def left_today(snapshot: Queue) -> str:
    reviews = snapshot.reviews_left
    return (
        f"Left today: {snapshot.new_left} new, {reviews} review{'s' * (reviews != 1)}, "
        f"{snapshot.redrills} again today."
    )


def after_grade(snapshot: Queue, *, level_names: str = "") -> str:
    """One sentence group, read once: the grade was kept, then what comes next."""
    card = snapshot.card
    if card is None:
        done = f"Nothing left in {level_names} today" if level_names else "All done"
        return f"Answer saved. {done}{' for today' * (not level_names)}."
    return (
        f"Answer saved. Next question ({card.kind_label.lower()}, "
        f"{card.level_label}): {_plain(card.prompt_html)} {left_today(snapshot)}"
    )

"""The card tools (note, suspend, report) of a review card's back, rendered by
the template once per shape and then only filled in (issue 12).

Every self-graded card carries its back, tools included: three forms, three
URLs and three CSRF fields, ~0.5-0.7 ms a card in the template engine. Most
cards have the same tools but for the question's id in their URLs and the
page's CSRF token, so the partial is rendered with stand-ins for both, kept
per shape (suspended or not, leech and its lapses, the limits, the return
URL) and filled in with two replacements. A card with a note, whose text the
tools show twice (escaped, and with line breaks), is left to the template.
tests/care/test_tools_html.py checks the result against the template's.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from cards.care.reads import CardCare

# Stand-ins that nothing else on the tools can contain: an id no question has
# (beyond int8) and a token of letters a masked CSRF token never repeats so.
_ID = 98765432109876543210123
_TOKEN = "csrfStandInForThePagesOwnToken"


@lru_cache(maxsize=256)
def _shape(care: CardCare, care_next: str) -> str:
    return render_to_string(
        "care/my_card.html#tools",
        {"care": care, "care_next": care_next, "csrf_token": _TOKEN},
    )


def tools(care: CardCare, *, care_next: str, csrf_token: object) -> SafeString | None:
    """The tools' HTML, as `{% include "care/my_card.html#tools" %}` renders it
    in the review's context; None when the template must (a note, no token)."""
    token = str(csrf_token or "")
    if care.note or not token or token == "NOTPROVIDED":
        return None
    shape = replace(care, question_id=_ID, lapses=care.lapses if care.is_leech else 0)
    html = _shape(shape, str(care_next))
    # The stand-ins and what replaces them are HTML-safe (digits, letters).
    return mark_safe(
        html.replace(str(_ID), str(care.question_id)).replace(_TOKEN, token)
    )

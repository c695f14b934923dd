"""`{% card_url "cards:grade" card.question_id as grade_url %}`: `{% url %}` for
URLs that take only ids, from a per-name cache (cards/web/reversing.py)."""

from django import template

from cards.web import reversing

register = template.Library()


@register.simple_tag
def card_url(name: str, *ids: int) -> str:
    return reversing.reverse_ids(name, *ids)

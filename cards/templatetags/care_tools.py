"""`{% care_tools care as tools %}`: the review back's card tools from a
per-shape cache (cards/care/tools_html.py); empty when the template must."""

from django import template

from cards.care import tools_html

register = template.Library()


@register.simple_tag(takes_context=True)
def care_tools(context, care) -> str:
    html = tools_html.tools(
        care,
        care_next=context.get("care_next", ""),
        csrf_token=context.get("csrf_token"),
    )
    return "" if html is None else html

"""The review back's card tools from the per-shape cache are the template's."""

import re
from datetime import timedelta

import pytest
from django.template import engines

from cards.care import tools_html
from cards.care.reads import LEECH_LAPSES, CardCare
from tests.factories import make_schedule

TOKEN = "Zx81" * 16  # a masked CSRF token is 64 letters and digits
INCLUDE = '{% include "care/my_card.html#tools" %}'


def _template(care, care_next, token=TOKEN):
    context = {"care": care, "care_next": care_next, "csrf_token": token}
    return engines["django"].from_string(INCLUDE).render(context)


@pytest.mark.parametrize(
    "care",
    [
        CardCare(question_id=7, note="", is_suspended=False, lapses=0),
        CardCare(question_id=123456, note="", is_suspended=False, lapses=3),
        CardCare(question_id=42, note="", is_suspended=True, lapses=1),
        CardCare(question_id=9, note="", is_suspended=False, lapses=LEECH_LAPSES + 1),
    ],
)
@pytest.mark.parametrize("care_next", ["/review/", "/review/?level=1&level=2"])
def test_tools_are_the_templates_html(care, care_next):
    html = tools_html.tools(care, care_next=care_next, csrf_token=TOKEN)
    assert html == _template(care, care_next)


def test_tools_of_the_same_shape_differ_only_in_their_id_and_token():
    first = CardCare(question_id=5, note="", is_suspended=False, lapses=0)
    second = CardCare(question_id=6, note="", is_suspended=False, lapses=2)
    html = tools_html.tools(second, care_next="/review/", csrf_token="Q" * 64)
    assert tools_html.tools(first, care_next="/review/", csrf_token=TOKEN) != html
    assert html == _template(second, "/review/", token="Q" * 64)
    assert "/5/" not in html and TOKEN not in html


@pytest.mark.parametrize("token", ["", None, "NOTPROVIDED"])
def test_a_page_without_a_token_is_left_to_the_template(token):
    care = CardCare(question_id=5, note="", is_suspended=False, lapses=0)
    assert tools_html.tools(care, care_next="/review/", csrf_token=token) is None


def test_a_card_with_a_note_is_left_to_the_template():
    care = CardCare(question_id=5, note="Mine <b>", is_suspended=False, lapses=0)
    assert tools_html.tools(care, care_next="/review/", csrf_token=TOKEN) is None


def test_the_review_backs_tools_carry_their_card_and_the_pages_token(
    logged_in_client, user, clock
):
    # Two cards in a row: the second's tools come from the first one's shape.
    for _ in range(2):
        schedule = make_schedule(
            user=user, due_on=user.profile.study_day(clock.now) - timedelta(days=2)
        )
        page = logged_in_client.get("/review/").text
        back = re.search(r"<template data-back>(.*?)</template>", page, re.S).group(1)
        tools = back[back.index('<section class="card-care"') :]
        qid = re.search(r"/review/(\d+)/grade/", page).group(1)
        assert f"/{qid}/suspend/" in tools and f"/{qid}/note/" in tools
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', page))
        assert len(tokens) == 1 and len(tokens.pop()) == 64
        assert "csrfStandIn" not in page and "98765432109876543210123" not in page
        schedule.delete()

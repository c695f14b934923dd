"""Cached reversing of id-only URLs gives what `reverse()` gives."""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from cards.web.reversing import reverse_ids

NAMES = ["cards:grade", "cards:reveal", "cards:card_info", "cards:check"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [0, 7, 123456789012])
def test_is_reverse(name, pk):
    assert reverse_ids(name, pk) == reverse(name, args=[pk])


def test_without_ids_is_reverse():
    assert reverse_ids("cards:undo") == reverse("cards:undo") == "/review/undo/"


def test_follows_the_script_prefix():
    try:
        set_script_prefix("/prep/")
        assert reverse_ids("cards:grade", 5) == "/prep/review/5/grade/"
    finally:
        set_script_prefix("/")
    assert reverse_ids("cards:grade", 5) == "/review/5/grade/"


def test_what_is_not_an_id_goes_to_reverse():
    with pytest.raises(NoReverseMatch):
        reverse_ids("cards:grade", -1)
    with pytest.raises(NoReverseMatch):
        reverse_ids("cards:grade", "x")


def test_the_tag_is_the_url_tag():
    html = (
        engines["django"]
        .from_string(
            '{% load card_urls %}{% card_url "cards:grade" pk as u %}{{ u }}|'
            '{% url "cards:grade" pk %}'
        )
        .render({"pk": 42})
    )
    first, second = html.split("|")
    assert first == second == "/review/42/grade/"

"""Model constraints, derived values and the Markdown renderer."""

from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError

from cards.markdown import render
from cards.models import (
    LearnerProfile,
    Question,
    make_key,
    profile_for,
)
from tests.factories import make_question, make_schedule, make_user


def test_one_schedule_per_user_and_question(user):
    schedule = make_schedule(user=user)
    with pytest.raises(IntegrityError):
        make_schedule(user=user, question=schedule.question)


def test_question_with_history_cannot_be_deleted(user):
    schedule = make_schedule(user=user)
    with pytest.raises(ProtectedError):
        schedule.question.delete()


def test_as_state_and_apply_round_trip(user):
    schedule = make_schedule(user=user, repetitions=3, interval_days=15, ease="2.36")
    state = schedule.as_state()
    assert (state.repetitions, state.interval_days, state.ease) == (3, 15, 2.36)
    schedule.apply(state, due_on=date(2026, 2, 1))
    assert schedule.due_on == date(2026, 2, 1)


def test_profile_for_returns_unsaved_defaults_without_writing(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="admin-made")
    profile = profile_for(user)
    assert (profile.pk, profile.time_zone, profile.rollover_hour) == (None, "UTC", 4)
    assert (profile.new_cards_per_day, profile.reviews_per_day) == (10, 200)
    assert not LearnerProfile.objects.exists()


def test_profile_study_day_uses_time_zone_and_rollover(db):
    user = make_user(time_zone="America/New_York", rollover_hour=4)
    # 08:30 UTC = 03:30 in New York (EST): still the previous study day.
    assert user.profile.study_day(datetime(2026, 1, 10, 8, 30, tzinfo=UTC)) == date(
        2026, 1, 9
    )


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "localtime", "UTC; DROP"])
def test_unknown_time_zone_is_invalid(user, zone):
    profile = user.profile
    profile.time_zone = zone
    with pytest.raises(ValidationError):
        profile.full_clean()


def test_question_str_and_rendered_html(db):
    question = make_question(prompt="What is *attention*?", answer="- one\n- two")
    assert str(question) == "What is *attention*?"
    assert question.prompt_html == "<p>What is <em>attention</em>?</p>\n"
    assert "<li>one</li>" in question.answer_html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        '<a href="#" onclick="x()">x</a>',
        '<div hx-post="/x" hx-trigger="load">x</div>',
        "<svg onload=alert(1)>",
    ],
)
def test_markdown_renderer_strips_active_content(payload):
    tags = _tags(render(payload))
    assert not {name for name, _ in tags} & {"script", "img", "svg", "div", "iframe"}
    for _, attrs in tags:
        for attr, value in attrs:
            assert not attr.startswith(("on", "hx-", "data-hx"))
            assert not (value or "").lower().startswith("javascript:")


def _tags(html: str) -> list[tuple[str, list]]:
    found: list[tuple[str, list]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def test_markdown_keeps_code_blocks_and_links():
    html = render("```python\nprint('hi')\n```\n\n[docs](https://example.com)")
    assert '<code class="language-python">' in html
    assert (
        'href="https://example.com"' in html
        and 'rel="noopener noreferrer nofollow"' in html
    )


@pytest.mark.parametrize(
    ("prompt", "key"),
    [
        ("What is Generative AI?", "what-is-generative-ai"),
        ("Explain " + "very " * 30 + "long", "explain" + "-very" * 14),
        ("???", "question"),
    ],
)
def test_make_key(prompt, key):
    assert make_key(prompt) == key
    assert len(key) <= 80


def test_question_ordering_is_level_then_position(db):
    advanced = make_question(level=3, position=1)
    basic2 = make_question(level=1, position=2)
    basic1 = make_question(level=1, position=1)
    assert list(Question.objects.all()) == [basic1, basic2, advanced]

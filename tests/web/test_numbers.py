"""Every whole number the app reads goes through one strict parser (ASCII digits)."""

import pytest
from django.urls import reverse

from cards.models import LearnerProfile, Question
from tests.factories import make_question, make_user

NON_ASCII = ["٣", "３", "۳", "३", "1٣", "𝟑"]  # Arabic-Indic, fullwidth, ..., maths
SETTINGS = {
    "time_zone": "UTC",
    "rollover_hour": "4",
    "new_cards_per_day": "10",
    "reviews_per_day": "200",
    "grade_scale": "four",
}


def test_parser_takes_canonical_ascii_digits_only():
    from cards.web.numbers import NotAWholeNumber, parse_whole_number

    assert parse_whole_number("0") == 0
    assert parse_whole_number("4096") == 4096
    for text in [*NON_ASCII, "", " 3", "3 ", "+3", "-3", "3.0", "03", "1e3", "3\n"]:
        with pytest.raises(NotAWholeNumber):
            parse_whole_number(text)
    with pytest.raises(NotAWholeNumber, match="0-9"):
        parse_whole_number("٣")
    with pytest.raises(NotAWholeNumber, match="too long"):
        parse_whole_number("1" * 19, max_digits=18)


@pytest.mark.parametrize("field", ["new_cards_per_day", "reviews_per_day"])
@pytest.mark.parametrize("digits", NON_ASCII)
def test_settings_refuse_non_ascii_digits(client, db, field, digits):
    user = make_user(username="digits")
    client.force_login(user)
    r = client.post(reverse("cards:settings"), {**SETTINGS, field: digits})
    assert r.status_code == 400
    assert "digits 0-9" in r.text
    profile = LearnerProfile.objects.get(user=user)
    assert (profile.new_cards_per_day, profile.reviews_per_day) == (10, 200)


def test_settings_still_take_ascii_numbers(client, db):
    user = make_user(username="ascii")
    client.force_login(user)
    r = client.post(reverse("cards:settings"), {**SETTINGS, "new_cards_per_day": "7"})
    assert r.status_code == 302
    assert LearnerProfile.objects.get(user=user).new_cards_per_day == 7


@pytest.mark.parametrize("digits", NON_ASCII)
def test_progress_range_refuses_non_ascii_digits(client, db, digits):
    client.force_login(make_user(username="ranges"))
    assert client.get(reverse("cards:progress"), {"days": digits}).status_code == 400


@pytest.mark.parametrize("digits", ["٣", "３"])
def test_admin_question_position_refuses_non_ascii_digits(client, db, digits):
    client.force_login(make_user(username="staffer", is_superuser=True))
    question = make_question(position=1)
    url = reverse("admin:cards_question_change", args=[question.pk])
    r = client.post(
        url,
        {
            "key": question.key,
            "level": "1",
            "position": digits,
            "prompt": question.prompt,
            "answer": question.answer,
            "is_active": "on",
        },
    )
    assert r.status_code == 200 and "digits 0-9" in r.text
    assert Question.objects.get(pk=question.pk).position == 1

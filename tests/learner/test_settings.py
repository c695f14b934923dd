"""The settings page: time zone, day rollover, daily limits, grade buttons."""

import pytest
from django.urls import reverse

from cards.models import LearnerProfile
from tests.factories import make_question, make_user

URL = "/settings/"
VALID = {
    "time_zone": "Europe/Paris",
    "rollover_hour": "5",
    "new_cards_per_day": "15",
    "reviews_per_day": "120",
    "grade_scale": "six",
}


def profile_values(user):
    return LearnerProfile.objects.filter(user=user).values(*VALID).get()


def test_url_name():
    assert reverse("cards:settings") == URL


def test_page_shows_the_current_settings_and_a_real_zone_list(logged_in_client, user):
    r = logged_in_client.get(URL)
    assert r.status_code == 200
    assert '<option value="Pacific/Kiritimati">Kiritimati (Pacific)</option>' in r.text
    assert '<option value="America/Argentina/Buenos_Aires">' in r.text
    assert 'name="time_zone" id="id_time_zone" value="UTC"' in r.text
    assert r.text.count("<option") > 400
    assert "04:00 (default, as Anki)" in r.text
    assert "js/settings.js" in r.text
    # The learner has a stored profile: the browser zone is not suggested.
    assert "data-browser-default" not in r.text


def test_saving_valid_settings(logged_in_client, user):
    r = logged_in_client.post(URL, VALID)
    assert r.status_code == 302 and r.url == URL
    assert profile_values(user) == {
        "time_zone": "Europe/Paris",
        "rollover_hour": 5,
        "new_cards_per_day": 15,
        "reviews_per_day": 120,
        "grade_scale": "six",
    }
    assert "Settings saved." in logged_in_client.get(URL).text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus_Mons", "is not a time zone or city we know"),
        ("time_zone", "", "This field is required"),
        ("rollover_hour", "24", "Select a valid choice"),
        ("rollover_hour", "-1", "Select a valid choice"),
        ("new_cards_per_day", "501", "less than or equal to 500"),
        ("new_cards_per_day", "-1", "must not be negative"),
        ("reviews_per_day", "0", "greater than or equal to 1"),
        ("reviews_per_day", "5001", "less than or equal to 5000"),
        ("reviews_per_day", "ten", "Enter a whole number"),
        ("grade_scale", "five", "Select a valid choice"),
    ],
)
def test_invalid_settings_show_errors_and_save_nothing(
    logged_in_client, user, field, value, message
):
    before = profile_values(user)
    r = logged_in_client.post(URL, {**VALID, field: value})
    assert r.status_code == 400
    assert message in r.text and "Nothing was saved" in r.text
    assert profile_values(user) == before


def test_first_visit_suggests_the_browser_zone_and_writes_nothing(client, db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("nozone", password="x-long-pass-9")
    client.force_login(user)
    r = client.get(URL)
    assert r.status_code == 200 and "data-browser-default" in r.text
    assert not LearnerProfile.objects.filter(user=user).exists()
    assert client.post(URL, VALID).status_code == 302
    assert profile_values(user)["time_zone"] == "Europe/Paris"


def test_six_buttons_setting_reaches_the_review_screen(logged_in_client, user):
    question = make_question()
    logged_in_client.post(URL, VALID)
    r = logged_in_client.get(
        reverse("cards:reveal", args=[question.pk]), {"version": 0}
    )
    assert r.text.count('name="grade"') == 6


def test_limits_setting_reaches_the_queue(logged_in_client, user):
    for _ in range(3):
        make_question()
    logged_in_client.post(URL, {**VALID, "new_cards_per_day": "1"})
    r = logged_in_client.get(reverse("cards:review"))
    assert 'count-n">1</span> <span class="count-label">new' in r.text


def test_settings_are_per_learner(logged_in_client, user):
    other = make_user(time_zone="Asia/Tokyo")
    logged_in_client.post(URL, VALID)
    assert LearnerProfile.objects.get(user=other).time_zone == "Asia/Tokyo"

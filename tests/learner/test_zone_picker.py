"""The time-zone field: common zones first, and a city typed finds its zone."""

import re

import pytest

from cards.models import LearnerProfile
from tests.factories import make_user

URL = "/settings/"
SETTINGS = {
    "rollover_hour": "4",
    "new_cards_per_day": "10",
    "reviews_per_day": "200",
    "grade_scale": "four",
}


def _datalist(html: str) -> list[str]:
    body = re.search(r'<datalist id="time-zone-options">(.*?)</datalist>', html, re.S)
    assert body, "no datalist of zones"
    return re.findall(r'<option value="([^"]+)"', body.group(1))


def test_the_field_is_a_labelled_combobox_over_every_zone(logged_in_client):
    html = logged_in_client.get(URL).text
    field = re.search(r'<input[^>]*name="time_zone"[^>]*>', html).group(0)
    assert 'list="time-zone-options"' in field and 'id="id_time_zone"' in field
    assert '<label for="id_time_zone">Time zone</label>' in html
    assert 'value="UTC"' in field  # the learner's zone
    zones = _datalist(html)
    assert len(zones) > 400 and len(set(zones)) == len(zones)
    assert zones[0] == "UTC"
    # The common zones come before the A-Z rest ("Africa/Abidjan").
    assert zones.index("Asia/Tokyo") < 30 and zones.index("America/New_York") < 30
    assert zones.index("Africa/Abidjan") > 20
    assert '<option value="Asia/Tokyo">Tokyo (Asia)</option>' in html
    assert "type a city" in html.lower()


def test_the_learners_own_zone_comes_first(client, db):
    client.force_login(make_user(username="kat", time_zone="Asia/Kathmandu"))
    assert _datalist(client.get(URL).text)[0] == "Asia/Kathmandu"


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Asia/Tokyo", "Asia/Tokyo"),
        ("tokyo", "Asia/Tokyo"),
        ("  New York ", "America/New_York"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Tokyo (Asia)", "Asia/Tokyo"),
    ],
)
def test_a_typed_city_saves_its_zone(logged_in_client, user, typed, zone):
    r = logged_in_client.post(URL, {**SETTINGS, "time_zone": typed})
    assert r.status_code == 302
    assert LearnerProfile.objects.get(user=user).time_zone == zone


@pytest.mark.parametrize("typed", ["Atlantis", "Mars/Olympus_Mons", "Europe/"])
def test_an_unknown_place_is_refused_clearly(logged_in_client, user, typed):
    r = logged_in_client.post(URL, {**SETTINGS, "time_zone": typed})
    assert r.status_code == 400
    assert "is not a time zone or city we know" in r.text
    assert LearnerProfile.objects.get(user=user).time_zone == "UTC"

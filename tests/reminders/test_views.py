"""The reminders fieldset of Settings, the signed links, the dashboard prompt."""

import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cards.models import ReminderSettings
from cards.reminders import tokens
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SETTINGS = reverse("cards:settings")
SAVE = reverse("cards:reminders")


@pytest.fixture(autouse=True)
def _pinned_monday(clock):
    """These tests spell out dates and hours of Monday 2026-01-05 04:00 in
    London (CI's moment): pinned there, so the clock sweep cannot move them."""
    clock.move_to(datetime(2026, 1, 5, 4, 0, tzinfo=UTC))


@pytest.fixture
def verify(django_capture_on_commit_callbacks):
    def run(client, user) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("cards:reminders_send_verification"))
        _confirm(client)

    return run


def _confirm(client) -> None:
    link = re.search(r"http://[^/]+(/email/verify/\S+)", mail.outbox[-1].body)
    asked = client.get(link.group(1))
    assert asked.status_code == 200 and "Confirm my address" in asked.text
    done = client.post(link.group(1))
    assert done.status_code == 200 and "is confirmed" in done.text


def test_reminders_are_off_by_default_with_a_prompt_on_the_dashboard(
    logged_in_client,
):
    home = logged_in_client.get(reverse("home"))
    assert "Get a daily reminder" in home.text
    page = logged_in_client.get(SETTINGS)
    assert 'id="reminders"' in page.text and "Send confirmation link" in page.text
    assert (
        'name="is_enabled"' in page.text
        and "checked" not in page.text.split('name="is_enabled"')[1].split(">")[0]
    )


def test_reminders_cannot_be_turned_on_before_the_address_is_verified(
    logged_in_client, user
):
    response = logged_in_client.post(
        SAVE, {"is_enabled": "on", "hour": 7, "days": ["0", "1"]}
    )
    assert response.status_code == 400
    assert "Confirm your email address" in response.text
    assert not ReminderSettings.objects.filter(user=user).exists()


def test_verify_then_turn_on_sets_the_next_send_in_utc(logged_in_client, user, verify):
    user.profile.time_zone = "America/New_York"
    user.profile.save()
    verify(logged_in_client, user)
    response = logged_in_client.post(
        SAVE,
        {"is_enabled": "on", "hour": 7, "days": ["0", "2", "4"]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert (
        'id="reminders"' in response.text and "Reminder settings saved" in response.text
    )
    saved = ReminderSettings.objects.get(user=user)
    assert saved.weekdays == 0b10101 and saved.hour == 7
    # Monday 2026-01-05 04:00 UTC is still Sunday night in New York: next 07:00
    # EST on a Monday, Wednesday or Friday is Monday 12:00 UTC.
    assert saved.next_send_at.isoformat() == "2026-01-05T12:00:00+00:00"
    home = logged_in_client.get(reverse("home"))
    assert "Get a daily reminder" not in home.text


def test_a_new_time_zone_moves_the_next_send(logged_in_client, user, verify):
    verify(logged_in_client, user)
    logged_in_client.post(SAVE, {"is_enabled": "on", "hour": 9, "days": ["0"]})
    assert user.reminders.next_send_at.isoformat() == "2026-01-05T09:00:00+00:00"
    logged_in_client.post(
        SETTINGS,
        {
            "time_zone": "Asia/Tokyo",
            "rollover_hour": 4,
            "new_cards_per_day": 10,
            "reviews_per_day": 200,
            "grade_scale": "four",
        },
    )
    user.reminders.refresh_from_db()
    # 09:00 in Tokyo on the next Monday (it is already 13:00 Monday there).
    assert user.reminders.next_send_at.isoformat() == "2026-01-12T00:00:00+00:00"


def test_bad_input_writes_nothing(logged_in_client, user, verify):
    verify(logged_in_client, user)
    for data in (
        {"is_enabled": "on", "hour": 24, "days": ["0"]},
        {"is_enabled": "on", "hour": 7, "days": []},
        {"is_enabled": "on", "hour": 7, "days": ["7"]},
    ):
        assert logged_in_client.post(SAVE, data).status_code == 400
    assert not ReminderSettings.objects.get(user=user).is_enabled


def test_a_verification_link_for_an_old_address_or_forged_fails(client, user):
    old = tokens.verify_token(user_id=user.pk, email=user.email)
    user.email = "changed@example.com"
    user.save()
    for token in (old, old[:-2] + "xx", "garbage"):
        assert (
            client.post(reverse("cards:reminders_verify", args=[token])).status_code
            == 400
        )
    assert not ReminderSettings.objects.filter(
        user=user, verified_email__gt=""
    ).exists()


def test_one_click_unsubscribe_needs_no_login_and_no_csrf_token(user, clock):
    from tests.factories import make_reminder

    make_reminder(user=user, now=clock.now)
    url = reverse(
        "cards:reminders_unsubscribe", args=[tokens.unsubscribe_token(user_id=user.pk)]
    )
    client = Client(enforce_csrf_checks=True)
    # What a mail client sends for RFC 8058: a bare POST with this one field.
    response = client.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200 and "unsubscribed" in response.text
    assert not ReminderSettings.objects.get(user=user).is_enabled


def test_a_forged_unsubscribe_token_changes_nothing(user, clock):
    from tests.factories import make_reminder

    make_reminder(user=user, now=clock.now)
    other = make_user()
    # The payload naming the victim with the signature of the attacker's own token.
    mine = tokens.unsubscribe_token(user_id=other.pk)
    victim = tokens.unsubscribe_token(user_id=user.pk)
    forged = victim.rsplit(":", 1)[0] + ":" + mine.rsplit(":", 1)[1]
    assert forged != victim
    response = Client().post(reverse("cards:reminders_unsubscribe", args=[forged]))
    assert response.status_code == 400
    assert ReminderSettings.objects.get(user=user).is_enabled

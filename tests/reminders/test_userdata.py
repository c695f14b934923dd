"""Reminder settings in "Your data": exported, validated, restored (issue 20)."""

import pytest

from cards.learner import userdata
from cards.models import ReminderSettings
from tests.factories import make_reminder, make_user
from tests.learner.test_data import as_lines, document, export, import_

pytestmark = pytest.mark.django_db


def test_reminders_round_trip_and_stay_off_until_the_new_address_is_verified(clock):
    alice = make_user(email="alice@example.com")
    make_reminder(user=alice, hour=6, weekdays=0b0011111, now=clock.now)
    blob = export(alice)
    assert document(blob)["reminders"] == {
        "enabled": True, "hour": 6, "days": [0, 1, 2, 3, 4],
    }  # fmt: skip

    bob = make_user(email="bob@example.com")
    import_(bob, blob)
    restored = ReminderSettings.objects.get(user=bob)
    assert (restored.hour, restored.weekdays) == (6, 0b0011111)
    assert not restored.is_enabled and restored.next_send_at is None

    import_(alice, blob)
    again = ReminderSettings.objects.get(user=alice)
    assert again.is_enabled and again.next_send_at is not None


@pytest.mark.parametrize(
    "bad",
    [
        {"enabled": "yes", "hour": 6, "days": [0]},
        {"enabled": True, "hour": 24, "days": [0]},
        {"enabled": True, "hour": 6, "days": []},
        {"enabled": True, "hour": 6, "days": [7]},
        {"enabled": True, "hour": 6},
    ],
)
def test_bad_reminder_settings_in_a_file_are_refused(bad, clock):
    alice = make_user()
    data = document(export(alice)) | {"reminders": bad}
    with pytest.raises(userdata.UserDataError, match="reminders"):
        userdata.parse_user_data(as_lines(data))


def test_a_file_without_reminders_still_imports(clock):
    alice = make_user()
    data = document(export(alice))
    del data["reminders"]
    import_(alice, as_lines(data))
    assert not ReminderSettings.objects.filter(user=alice).exists()

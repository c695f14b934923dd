"""A learner's writes (cards/learner/services.py): sign-up and settings."""

from django.contrib.auth import get_user_model

from cards.learner import services
from cards.models import LearnerProfile


def test_sign_up_creates_user_and_settings(db):
    user = services.sign_up(
        username="carol",
        email="c@example.com",
        password="pw-1234-abcd",
        time_zone="Europe/Paris",
    )
    assert get_user_model().objects.get(username="carol").check_password("pw-1234-abcd")
    assert LearnerProfile.objects.get(user=user).time_zone == "Europe/Paris"
